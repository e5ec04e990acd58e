/* C smoke test of rsurl's libcurl-compatible easy interface: callbacks,
 * options and getinfo, against the test server at argv[1]. Prints one
 * line per scenario; tests/ffi.rs checks them and the requests sent. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "body_buffer.h"

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata) {
  (void)ptr;
  (*(int *)userdata)++;
  return size * nmemb;
}

static size_t refuse(char *ptr, size_t size, size_t nmemb, void *userdata) {
  (void)ptr; (void)size; (void)nmemb; (void)userdata;
  return 0;
}

struct upload { const char *data; size_t left; };

static size_t on_read(char *buffer, size_t size, size_t nitems, void *userdata) {
  struct upload *u = userdata;
  size_t n = size * nitems < u->left ? size * nitems : u->left;
  memcpy(buffer, u->data, n);
  u->data += n;
  u->left -= n;
  return n;
}

static size_t abort_read(char *buffer, size_t size, size_t nitems, void *userdata) {
  (void)buffer; (void)size; (void)nitems; (void)userdata;
  return CURL_READFUNC_ABORT;
}

static int on_progress(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
  (void)dltotal; (void)ultotal; (void)ulnow;
  if (dlnow > 0) (*(int *)clientp)++;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  char url[512];
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL *h = curl_easy_init();

  /* 1: GET with write, header and progress callbacks, then getinfo. */
  struct buf body = {{0}, 0};
  int header_lines = 0, progress_calls = 0;
  snprintf(url, sizeof url, "%s/hello", argv[1]);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &header_lines);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &progress_calls);
  CURLcode rc = curl_easy_perform(h);
  long code = 0;
  char *ctype = NULL, *effective = NULL;
  curl_off_t size = 0;
  double total = -1;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctype);
  curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
  curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &size);
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &total);
  printf("get rc=%d code=%ld body=%s headers=%d type=%s size=%ld progress=%s time=%s url_ok=%d\n", rc, code,
         body.data, header_lines, ctype ? ctype : "(null)", (long)size, progress_calls > 0 ? "yes" : "no",
         total >= 0 ? "yes" : "no", strcmp(effective, url) == 0);

  /* 2: POST with POSTFIELDS and a header list (one added, one removed). */
  body.len = 0;
  struct curl_slist *list = curl_slist_append(NULL, "X-Test: 1");
  list = curl_slist_append(list, "Accept:");
  snprintf(url, sizeof url, "%s/post", argv[1]);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, "a=1&b=2");
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
  rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  printf("post rc=%d code=%ld body=%s\n", rc, code, body.data);
  curl_slist_free_all(list);

  /* 3: PUT upload through the read callback. */
  curl_easy_reset(h);
  body.len = 0;
  body.data[0] = 0;
  struct upload up = {"uploaded data", 13};
  snprintf(url, sizeof url, "%s/put", argv[1]);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(h, CURLOPT_READDATA, &up);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)13);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  printf("put rc=%d code=%ld\n", rc, code);

  /* 3b: without INFILESIZE the callback's data streams chunked. */
  struct upload up2 = {"streamed", 8};
  curl_easy_setopt(h, CURLOPT_READDATA, &up2);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)-1);
  rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  printf("chunked put rc=%d code=%ld\n", rc, code);

  /* 4: a redirect followed. */
  curl_easy_reset(h);
  body.len = 0;
  body.data[0] = 0;
  long redirects = -1;
  snprintf(url, sizeof url, "%s/redir", argv[1]);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
  curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
  printf("redirect rc=%d redirects=%ld body=%s final=%s\n", rc, redirects, body.data, strrchr(effective, '/'));

  /* 5: FAILONERROR fills the error buffer. */
  char errbuf[CURL_ERROR_SIZE] = {0};
  snprintf(url, sizeof url, "%s/missing", argv[1]);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  rc = curl_easy_perform(h);
  printf("fail rc=%d err=%s str=%s\n", rc, errbuf, curl_easy_strerror(rc));

  /* 6: a write callback that refuses data aborts the transfer. */
  curl_easy_reset(h);
  snprintf(url, sizeof url, "%s/hello", argv[1]);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, refuse);
  rc = curl_easy_perform(h);
  printf("refuse rc=%d\n", rc);

  /* 7: unknown options and bad URLs are reported, not crashed on. */
  printf("unknown rc=%d\n", curl_easy_setopt(h, (CURLoption)99999, 1L));
  curl_easy_setopt(h, CURLOPT_URL, "http://[::1");
  printf("badurl rc=%d\n", curl_easy_perform(h));

  /* 8: a read callback's abort ends the transfer with its own code. */
  curl_easy_reset(h);
  snprintf(url, sizeof url, "%s/abort", argv[1]);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, abort_read);
  printf("abort rc=%d\n", curl_easy_perform(h));

  curl_easy_cleanup(h);
  curl_global_cleanup();
  return 0;
}
