// Differences between the PostgreSQL majors synthdata builds against, in one
// place, by PG_VERSION_NUM. Included by pg/postgres.hpp inside its extern "C"
// block, after the headers every major has; nothing else tests the version.
//
// Tested on every run: 15 (Debian's) and 18 (the vendored 18.3). 16 and 17 lie
// between them and take the same branches as 18 below, but no run builds them.
#pragma once

#if PG_VERSION_NUM < 150000
#error "synthdata needs PostgreSQL 15 or later"
#endif

// 16 stopped including the GUC declarations (DefineCustomIntVariable,
// MarkGUCPrefixReserved, PGC_USERSET) from the headers above; they live in
// utils/guc.h, which every major has.
#if PG_VERSION_NUM >= 160000
#include "utils/guc.h"
#endif

// 18 lets the magic block name the module and its version, which
// pg_get_loaded_modules() reports; before 18 the block holds only the ABI.
#if PG_VERSION_NUM >= 180000
#define SYNTH_PG_MODULE_MAGIC(name_, version_) PG_MODULE_MAGIC_EXT(.name = name_, .version = version_)
#else
#define SYNTH_PG_MODULE_MAGIC(name_, version_) PG_MODULE_MAGIC
#endif

// 16 gave json's \u escapes pg_unicode_to_server_noerror; 15 has only
// pg_unicode_to_server, which raises an error where the server encoding has
// no such character, so there synthdata calls the UTF-8-to-server conversion
// itself with its noError argument (which every conversion has since 14).
#define SYNTH_HAVE_UNICODE_TO_SERVER_NOERROR (PG_VERSION_NUM >= 160000)
