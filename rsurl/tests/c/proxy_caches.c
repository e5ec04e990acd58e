/* C test of rsurl's proxy, HSTS and alt-svc options through the
 * libcurl-compatible easy interface. argv[1] picks a group:
 *   proxy SERVER_PORT SOCKS_PORT REFUSING_SOCKS_PORT
 *   https-proxy TLS_PORT CA_FILE
 *   caches TLS_A TLS_B PLAIN CA_FILE HSTS_RW HSTS_RO ALT_RW ALT_RO
 * Each transfer uses its own handle (cleaned up before the next, which
 * also writes the caches) and prints one line; tests/ffi.rs checks the
 * lines, what the servers saw and the cache files. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "body_buffer.h"

/* A handle writing the body into *b (trailing newline dropped when printed). */
static CURL *handle(struct buf *b, const char *url) {
  CURL *h = curl_easy_init();
  b->len = 0;
  b->data[0] = 0;
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
  return h;
}

static const char *text(struct buf *b) {
  if (b->len && b->data[b->len - 1] == '\n') b->data[--b->len] = 0;
  return b->data;
}

static void proxy_group(long server, long socks, long refusing) {
  char url[256], proxy[256];
  struct buf b;
  CURL *h;
  CURLcode rc;

  /* Forwarding HTTP proxy: no scheme, port from PROXYPORT, credentials
   * from PROXYUSERPWD, a proxy-only header. */
  snprintf(url, sizeof url, "http://example.test:%ld/fwd", server);
  h = handle(&b, url);
  struct curl_slist *ph = curl_slist_append(NULL, "X-Proxy: yes");
  curl_easy_setopt(h, CURLOPT_PROXY, "127.0.0.1");
  curl_easy_setopt(h, CURLOPT_PROXYPORT, server);
  curl_easy_setopt(h, CURLOPT_PROXYUSERPWD, "bob:pw");
  curl_easy_setopt(h, CURLOPT_PROXYHEADER, ph);
  rc = curl_easy_perform(h);
  printf("forward rc=%d body=%s\n", rc, text(&b));
  curl_easy_cleanup(h);

  /* CONNECT tunnel as HTTP/1.0 (CURLPROXY_HTTP_1_0 under an explicit
   * http:// scheme), proxy header replacing the built-in User-Agent. */
  snprintf(url, sizeof url, "http://example.test:%ld/tun", server);
  snprintf(proxy, sizeof proxy, "http://127.0.0.1:%ld", server);
  h = handle(&b, url);
  ph = curl_slist_append(ph, "User-Agent: tunnel-agent");
  curl_easy_setopt(h, CURLOPT_PROXY, proxy);
  curl_easy_setopt(h, CURLOPT_PROXYTYPE, (long)CURLPROXY_HTTP_1_0);
  curl_easy_setopt(h, CURLOPT_HTTPPROXYTUNNEL, 1L);
  curl_easy_setopt(h, CURLOPT_PROXYHEADER, ph);
  rc = curl_easy_perform(h);
  long connect = -1;
  curl_easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &connect);
  printf("tunnel rc=%d connect=%ld body=%s\n", rc, connect, text(&b));
  curl_easy_cleanup(h);
  curl_slist_free_all(ph);

  /* NOPROXY sends it direct; without it the dead proxy fails (7). */
  snprintf(url, sizeof url, "http://127.0.0.1:%ld/direct", server);
  h = handle(&b, url);
  curl_easy_setopt(h, CURLOPT_PROXY, "127.0.0.1:1");
  curl_easy_setopt(h, CURLOPT_NOPROXY, "example.test, 127.0.0.1");
  rc = curl_easy_perform(h);
  printf("noproxy rc=%d body=%s\n", rc, text(&b));
  curl_easy_setopt(h, CURLOPT_NOPROXY, "example.test");
  rc = curl_easy_perform(h);
  printf("deadproxy rc=%d\n", rc);
  curl_easy_cleanup(h);

  /* The scheme in the string wins over PROXYTYPE: socks5h sends the name. */
  snprintf(url, sizeof url, "http://example.test:%ld/s5h", server);
  snprintf(proxy, sizeof proxy, "socks5h://127.0.0.1:%ld", socks);
  h = handle(&b, url);
  curl_easy_setopt(h, CURLOPT_PROXYTYPE, (long)CURLPROXY_SOCKS4);
  curl_easy_setopt(h, CURLOPT_PROXY, proxy);
  rc = curl_easy_perform(h);
  printf("socks5h rc=%d body=%s\n", rc, text(&b));
  curl_easy_cleanup(h);

  /* No scheme: PROXYTYPE and PROXYPORT decide; SOCKS4 sends the user. */
  snprintf(url, sizeof url, "http://127.0.0.1:%ld/s4", server);
  h = handle(&b, url);
  curl_easy_setopt(h, CURLOPT_PROXY, "127.0.0.1");
  curl_easy_setopt(h, CURLOPT_PROXYPORT, socks);
  curl_easy_setopt(h, CURLOPT_PROXYTYPE, (long)CURLPROXY_SOCKS4);
  curl_easy_setopt(h, CURLOPT_PROXYUSERNAME, "amy");
  rc = curl_easy_perform(h);
  printf("socks4 rc=%d body=%s\n", rc, text(&b));

  /* A SOCKS5 refusal (reply 5): CURLE_PROXY and CURLPX_REPLY_CONNECTION_REFUSED
   * (19); the next transfer on the handle, which succeeds, resets it. */
  snprintf(proxy, sizeof proxy, "socks5://127.0.0.1:%ld", refusing);
  curl_easy_setopt(h, CURLOPT_PROXY, proxy);
  rc = curl_easy_perform(h);
  long pxcode = -1;
  curl_easy_getinfo(h, CURLINFO_PROXY_ERROR, &pxcode);
  printf("refused rc=%d pxcode=%ld", rc, pxcode);
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_PROXYPORT, 0L);
  b.len = 0;
  rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_PROXY_ERROR, &pxcode);
  printf(" then rc=%d pxcode=%ld body=%s\n", rc, pxcode, text(&b));

  /* Refused values and an unknown proxy scheme. */
  printf("bad type=%d port=%d altsvc_ctrl=%d unknown=%d",
         curl_easy_setopt(h, CURLOPT_PROXYTYPE, 99L), curl_easy_setopt(h, CURLOPT_PROXYPORT, 70000L),
         curl_easy_setopt(h, CURLOPT_ALTSVC_CTRL, 0L), curl_easy_setopt(h, (CURLoption)9999, 0L));
  curl_easy_setopt(h, CURLOPT_PROXY, "gopher://127.0.0.1:1");
  printf(" scheme=%d\n", curl_easy_perform(h));
  curl_easy_cleanup(h);
}

static void https_proxy_group(long port, const char *ca) {
  char proxy[256];
  struct buf b;
  CURL *h;
  CURLcode rc;
  long verify;

  /* https:// proxy verified with PROXY_CAINFO, forwarding plain HTTP. */
  snprintf(proxy, sizeof proxy, "https://localhost:%ld", port);
  h = handle(&b, "http://example.test/viahttps");
  curl_easy_setopt(h, CURLOPT_PROXY, proxy);
  curl_easy_setopt(h, CURLOPT_PROXY_CAINFO, ca);
  rc = curl_easy_perform(h);
  verify = -1;
  curl_easy_getinfo(h, CURLINFO_PROXY_SSL_VERIFYRESULT, &verify);
  printf("https-proxy rc=%d verify=%ld body=%s\n", rc, verify, text(&b));
  curl_easy_cleanup(h);

  /* CURLPROXY_HTTPS without a scheme; the system store refuses the
   * self-signed certificate (60) and says why. */
  snprintf(proxy, sizeof proxy, "localhost:%ld", port);
  h = handle(&b, "http://example.test/untrusted");
  curl_easy_setopt(h, CURLOPT_PROXY, proxy);
  curl_easy_setopt(h, CURLOPT_PROXYTYPE, (long)CURLPROXY_HTTPS);
  rc = curl_easy_perform(h);
  verify = 0;
  curl_easy_getinfo(h, CURLINFO_PROXY_SSL_VERIFYRESULT, &verify);
  printf("untrusted rc=%d verify_nonzero=%d\n", rc, verify != 0);

  /* PROXY_SSL_VERIFYPEER 0 lets it through. */
  curl_easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYHOST, 0L);
  rc = curl_easy_perform(h);
  printf("insecure rc=%d body=%s\n", rc, text(&b));
  curl_easy_cleanup(h);
}

static void caches_group(char **argv) {
  long a = atol(argv[2]), bport = atol(argv[3]), plain = atol(argv[4]);
  const char *ca = argv[5], *hsts_rw = argv[6], *hsts_ro = argv[7], *alt_rw = argv[8], *alt_ro = argv[9];
  char url[256];
  struct buf b;
  CURL *h;
  CURLcode rc;

  /* HSTS read at perform: http://localhost is upgraded; the answer's
   * Strict-Transport-Security is written back at cleanup. */
  snprintf(url, sizeof url, "http://localhost:%ld/h?sts=max-age%%3D3600", a);
  h = handle(&b, url);
  curl_easy_setopt(h, CURLOPT_CAINFO, ca);
  curl_easy_setopt(h, CURLOPT_HSTS, hsts_rw);
  rc = curl_easy_perform(h);
  printf("hsts rc=%d body=%s\n", rc, text(&b));
  curl_easy_cleanup(h);

  /* Read-only: upgraded, learnt, not written. */
  h = handle(&b, url);
  curl_easy_setopt(h, CURLOPT_CAINFO, ca);
  curl_easy_setopt(h, CURLOPT_HSTS, hsts_ro);
  curl_easy_setopt(h, CURLOPT_HSTS_CTRL, CURLHSTS_ENABLE | CURLHSTS_READONLYFILE);
  rc = curl_easy_perform(h);
  printf("hsts-ro rc=%d body=%s\n", rc, text(&b));
  curl_easy_cleanup(h);

  /* HSTS_CTRL 0 turns it off: plain HTTP stays plain. */
  snprintf(url, sizeof url, "http://localhost:%ld/plain", plain);
  h = handle(&b, url);
  curl_easy_setopt(h, CURLOPT_HSTS, hsts_ro);
  curl_easy_setopt(h, CURLOPT_HSTS_CTRL, 0L);
  rc = curl_easy_perform(h);
  printf("hsts-off rc=%d body=%s\n", rc, text(&b));
  curl_easy_cleanup(h);

  /* alt-svc: the cached h1 alternative on port B is used; the answer's
   * h2 alternative replaces it and is written at cleanup. */
  snprintf(url, sizeof url, "https://localhost:%ld/alt?alt=h2%%3D%%22%%3A%ld%%22%%3B%%20ma%%3D3600", a, bport);
  h = handle(&b, url);
  curl_easy_setopt(h, CURLOPT_CAINFO, ca);
  curl_easy_setopt(h, CURLOPT_ALTSVC, alt_rw);
  rc = curl_easy_perform(h);
  printf("altsvc rc=%d body=%s\n", rc, text(&b));
  curl_easy_cleanup(h);

  /* Only h2 alternatives allowed: the h1 one is not used; read-only. */
  h = handle(&b, url);
  curl_easy_setopt(h, CURLOPT_CAINFO, ca);
  curl_easy_setopt(h, CURLOPT_ALTSVC, alt_ro);
  curl_easy_setopt(h, CURLOPT_ALTSVC_CTRL, CURLALTSVC_READONLYFILE | CURLALTSVC_H2);
  rc = curl_easy_perform(h);
  printf("altsvc-h2only rc=%d body=%s\n", rc, text(&b));
  curl_easy_cleanup(h);
}

int main(int argc, char **argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (argc == 5 && strcmp(argv[1], "proxy") == 0) {
    proxy_group(atol(argv[2]), atol(argv[3]), atol(argv[4]));
  } else if (argc == 4 && strcmp(argv[1], "https-proxy") == 0) {
    https_proxy_group(atol(argv[2]), argv[3]);
  } else if (argc == 10 && strcmp(argv[1], "caches") == 0) {
    caches_group(argv);
  } else {
    return 2;
  }
  curl_global_cleanup();
  return 0;
}
