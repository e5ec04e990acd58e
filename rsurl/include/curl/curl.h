/* rsurl's C ABI: the subset of libcurl's easy interface it implements,
 * with libcurl's names and numbers, so programs written for libcurl
 * compile against it. Link with -lrsurl (the cdylib built with the
 * `ffi` feature). */
#ifndef RSURL_CURL_H
#define RSURL_CURL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void CURL;
typedef int64_t curl_off_t;

typedef enum {
  CURLE_OK = 0,
  CURLE_UNSUPPORTED_PROTOCOL = 1,
  CURLE_NOT_BUILT_IN = 4,
  CURLE_FAILED_INIT = 2,
  CURLE_URL_MALFORMAT = 3,
  CURLE_COULDNT_RESOLVE_PROXY = 5,
  CURLE_COULDNT_RESOLVE_HOST = 6,
  CURLE_COULDNT_CONNECT = 7,
  CURLE_WEIRD_SERVER_REPLY = 8,
  CURLE_PARTIAL_FILE = 18,
  CURLE_HTTP_RETURNED_ERROR = 22,
  CURLE_WRITE_ERROR = 23,
  CURLE_READ_ERROR = 26,
  CURLE_OUT_OF_MEMORY = 27,
  CURLE_OPERATION_TIMEDOUT = 28,
  CURLE_SSL_CONNECT_ERROR = 35,
  CURLE_ABORTED_BY_CALLBACK = 42,
  CURLE_BAD_FUNCTION_ARGUMENT = 43,
  CURLE_TOO_MANY_REDIRECTS = 47,
  CURLE_UNKNOWN_OPTION = 48,
  CURLE_GOT_NOTHING = 52,
  CURLE_SEND_ERROR = 55,
  CURLE_RECV_ERROR = 56,
  CURLE_SSL_CERTPROBLEM = 58,
  CURLE_SSL_CIPHER = 59,
  CURLE_PEER_FAILED_VERIFICATION = 60,
  CURLE_BAD_CONTENT_ENCODING = 61,
  CURLE_FILESIZE_EXCEEDED = 63,
  CURLE_SSL_CACERT_BADFILE = 77,
  CURLE_SSL_PINNEDPUBKEYNOTMATCH = 90,
  CURLE_PROXY = 97
} CURLcode;

typedef enum {
  CURLOPT_WRITEDATA = 10001,
  CURLOPT_URL = 10002,
  CURLOPT_USERPWD = 10005,
  CURLOPT_READDATA = 10009,
  CURLOPT_ERRORBUFFER = 10010,
  CURLOPT_WRITEFUNCTION = 20011,
  CURLOPT_READFUNCTION = 20012,
  CURLOPT_TIMEOUT = 13,
  CURLOPT_INFILESIZE = 14,
  CURLOPT_POSTFIELDS = 10015,
  CURLOPT_REFERER = 10016,
  CURLOPT_USERAGENT = 10018,
  CURLOPT_COOKIE = 10022,
  CURLOPT_HTTPHEADER = 10023,
  CURLOPT_HEADERDATA = 10029,
  CURLOPT_CUSTOMREQUEST = 10036,
  CURLOPT_VERBOSE = 41,
  CURLOPT_HEADER = 42,
  CURLOPT_NOPROGRESS = 43,
  CURLOPT_NOBODY = 44,
  CURLOPT_FAILONERROR = 45,
  CURLOPT_UPLOAD = 46,
  CURLOPT_POST = 47,
  CURLOPT_FOLLOWLOCATION = 52,
  CURLOPT_XFERINFODATA = 10057,
  CURLOPT_POSTFIELDSIZE = 60,
  CURLOPT_MAXREDIRS = 68,
  CURLOPT_CONNECTTIMEOUT = 78,
  CURLOPT_HEADERFUNCTION = 20079,
  CURLOPT_HTTPGET = 80,
  CURLOPT_ACCEPT_ENCODING = 10102,
  CURLOPT_HTTPAUTH = 107,
  CURLOPT_INFILESIZE_LARGE = 30115,
  CURLOPT_POSTFIELDSIZE_LARGE = 30120,
  CURLOPT_TIMEOUT_MS = 155,
  CURLOPT_CONNECTTIMEOUT_MS = 156,
  CURLOPT_COPYPOSTFIELDS = 10165,
  CURLOPT_XFERINFOFUNCTION = 20219,
  CURLOPT_XOAUTH2_BEARER = 10220,
  CURLOPT_SSL_VERIFYPEER = 64,
  CURLOPT_CAINFO = 10065,
  CURLOPT_SSL_VERIFYHOST = 81,
  CURLOPT_CAPATH = 10097,
  CURLOPT_PINNEDPUBLICKEY = 10230,
  CURLOPT_SSLCERT = 10025,
  CURLOPT_KEYPASSWD = 10026,
  CURLOPT_SSL_CIPHER_LIST = 10083,
  CURLOPT_SSLCERTTYPE = 10086,
  CURLOPT_SSLKEY = 10087,
  CURLOPT_SSLKEYTYPE = 10088,
  CURLOPT_SSL_SESSIONID_CACHE = 150,
  CURLOPT_TLS13_CIPHERS = 10276,
  CURLOPT_SSL_EC_CURVES = 10298,
  CURLOPT_HTTP_VERSION = 84
} CURLoption;

#define CURL_HTTP_VERSION_NONE 0L
#define CURL_HTTP_VERSION_1_0 1L
#define CURL_HTTP_VERSION_1_1 2L
#define CURL_HTTP_VERSION_2_0 3L
#define CURL_HTTP_VERSION_2TLS 4L
#define CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE 5L

#define CURLAUTH_BASIC (1L << 0)
#define CURLAUTH_DIGEST (1L << 1)
#define CURLAUTH_BEARER (1L << 6)
#define CURLAUTH_ANY (CURLAUTH_BASIC | CURLAUTH_DIGEST)

typedef enum {
  CURLINFO_EFFECTIVE_URL = 0x100001,
  CURLINFO_CONTENT_TYPE = 0x100012,
  CURLINFO_RESPONSE_CODE = 0x200002,
  CURLINFO_REDIRECT_COUNT = 0x200014,
  CURLINFO_SSL_VERIFYRESULT = 0x20000D,
  CURLINFO_TOTAL_TIME = 0x300003,
  CURLINFO_SIZE_DOWNLOAD_T = 0x600008,
  CURLINFO_TOTAL_TIME_T = 0x600032
} CURLINFO;

#define CURL_ERROR_SIZE 256
#define CURL_READFUNC_ABORT 0x10000000
#define CURL_GLOBAL_DEFAULT 3L

typedef size_t (*curl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef size_t (*curl_read_callback)(char *buffer, size_t size, size_t nitems, void *userdata);
typedef int (*curl_xferinfo_callback)(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
                                      curl_off_t ultotal, curl_off_t ulnow);

struct curl_slist {
  char *data;
  struct curl_slist *next;
};

CURLcode curl_global_init(long flags);
void curl_global_cleanup(void);
const char *curl_version(void);
CURL *curl_easy_init(void);
CURLcode curl_easy_setopt(CURL *handle, CURLoption option, ...);
CURLcode curl_easy_perform(CURL *handle);
CURLcode curl_easy_getinfo(CURL *handle, CURLINFO info, ...);
void curl_easy_reset(CURL *handle);
void curl_easy_cleanup(CURL *handle);
const char *curl_easy_strerror(CURLcode code);
struct curl_slist *curl_slist_append(struct curl_slist *list, const char *string);
void curl_slist_free_all(struct curl_slist *list);

#ifdef __cplusplus
}
#endif

#endif
