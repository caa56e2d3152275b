/* sanitizer.c - the LeakSanitizer suppressions of the sanitizer build (make test), compiled
 * into the binary so that every way of starting it (ctest, node --test, a shell) applies the
 * same list. A leak report fails the test that produced it (tests/lib/server.mjs), so each
 * line here names one third-party allocation that is not ours to free, with the reason. */
#if defined(__SANITIZE_ADDRESS__)

const char *__lsan_default_suppressions(void);

const char *__lsan_default_suppressions(void)
{
    return
        /* fontconfig's configuration and font-set caches, built the first time pango lays
         * out the agreement PDF (render/pdf_doc.c) and kept for the process's life by
         * pango's default font map; freeing them (FcFini) while pango still holds the map
         * is unsafe, and they are allocated once, not per request. */
        "leak:libfontconfig.so\n";
}

#else
/* ISO C forbids an empty translation unit. */
typedef int jiayi_sanitizer_unused;
#endif
