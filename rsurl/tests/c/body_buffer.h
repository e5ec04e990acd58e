/* The body buffer both C tests write responses into: a WRITEFUNCTION
 * that appends to a fixed 4 KiB buffer, NUL-terminated, and refuses
 * (returns 0, a write error for libcurl) what would not fit. */
#ifndef RSURL_TEST_BODY_BUFFER_H
#define RSURL_TEST_BODY_BUFFER_H

#include <string.h>

struct buf { char data[4096]; size_t len; };

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *userdata) {
  struct buf *b = userdata;
  size_t n = size * nmemb;
  if (b->len + n >= sizeof b->data) return 0;
  memcpy(b->data + b->len, ptr, n);
  b->len += n;
  b->data[b->len] = 0;
  return n;
}

#endif
