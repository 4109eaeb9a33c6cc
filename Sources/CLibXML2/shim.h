#ifndef GOVMEDIA_CLIBXML2_SHIM_H
#define GOVMEDIA_CLIBXML2_SHIM_H
// Debian builds libxml2 with ICU, and <libxml/encoding.h> then includes <unicode/ucnv.h>,
// whose UErrorCode clashes with Foundation's own copy on a clean build. We undefine
// LIBXML_ICU_ENABLED after xmlversion.h (fix (b) of shared/STYLE.md) because govmedia
// never touches the ICU fields of xmlCharEncodingHandler: it decodes every body to UTF-8
// itself before handing it to libxml2. Fix (a), an opaque C target, would hide the whole
// tree API that the XPath and feed readers walk.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/uri.h>
#include <libxml/xmlIO.h>


// xmlFree is a global function pointer, which Swift 6 treats as shared mutable state;
// this wrapper is the one place it is read.
static inline void cxml_free(void *p) { xmlFree(p); }
#endif
