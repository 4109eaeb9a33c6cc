#ifndef GOVMEDIA_CCURL_SHIM_H
#define GOVMEDIA_CCURL_SHIM_H
// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic macros that
// Swift cannot call. Each wrapper below fixes one argument type so Swift sees a plain
// function; nothing else lives here.
#include <curl/curl.h>

static inline CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }

typedef size_t (*ccurl_data_callback)(char *, size_t, size_t, void *);
static inline CURLcode ccurl_setopt_data_callback(CURL *h, CURLoption o, ccurl_data_callback f) { return curl_easy_setopt(h, o, f); }

typedef int (*ccurl_xferinfo_callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
static inline CURLcode ccurl_setopt_xferinfo(CURL *h, ccurl_xferinfo_callback f) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f); }

// Called by libcurl after DNS resolution, before connect: lets govmedia refuse private
// addresses on every hop, redirects included.
typedef curl_socket_t (*ccurl_opensocket_callback)(void *, curlsocktype, struct curl_sockaddr *);
static inline CURLcode ccurl_setopt_opensocket(CURL *h, ccurl_opensocket_callback f) { return curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, f); }

static inline CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }

static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

// CURLMsg holds a union; reading it from Swift is awkward, so these unpack it.
static inline int ccurl_msg_is_done(const CURLMsg *m) { return m->msg == CURLMSG_DONE; }
static inline CURLcode ccurl_msg_result(const CURLMsg *m) { return m->data.result; }

// CURL_GLOBAL_DEFAULT is a macro built from other macros; Swift does not import it reliably,
// so initialisation goes through this one function.
static inline CURLcode ccurl_global_init_default(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }

// CURL_SOCKET_BAD is a macro whose definition differs per platform; the opensocket
// callback returns it to refuse a connection.
static inline curl_socket_t ccurl_socket_bad(void) { return CURL_SOCKET_BAD; }

// struct curl_sockaddr ends in a `struct sockaddr` that libcurl over-allocates for IPv6;
// Swift would copy the 16-byte field, so hand out its address instead.
static inline const struct sockaddr *ccurl_sockaddr_address(const struct curl_sockaddr *a) { return &a->addr; }


#endif
