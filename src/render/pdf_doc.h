/* pdf_doc.h - a small flowing A4 document written to PDF with cairo and pango: headings,
 * paragraphs, tables and signature lines, broken across pages as they fill. Pango shapes
 * the text (CJK included) with the fonts fontconfig finds; cairo writes the PDF into memory.
 * One document per thread at a time; nothing here is shared between threads. */
#ifndef JIAYI_RENDER_PDF_DOC_H
#define JIAYI_RENDER_PDF_DOC_H

#include <stddef.h>

#include "util/sbuf.h"

struct pdf_doc;

enum pdf_align { PDF_LEFT, PDF_CENTER, PDF_RIGHT };

/* Starts a document whose bytes will be appended to out. NULL when cairo fails. */
struct pdf_doc *pdf_doc_new(struct sbuf *out, const char *title);
/* Finishes the PDF into out; returns 0, or -1 when cairo reported an error. Frees doc. */
int pdf_doc_finish(struct pdf_doc *doc);

void pdf_title(struct pdf_doc *doc, const char *text);
void pdf_heading(struct pdf_doc *doc, const char *text);
void pdf_paragraph(struct pdf_doc *doc, const char *text);
/* A paragraph in the small grey type used for numbers and footers. */
void pdf_note(struct pdf_doc *doc, const char *text, enum pdf_align align);
/* Vertical space in points. */
void pdf_space(struct pdf_doc *doc, double points);

/* A table: widths are fractions of the text width and sum to 1; a row is `columns` cells.
 * pdf_table_row(header=1) draws a shaded row; rows never split across pages. */
struct pdf_table {
    int columns;
    double widths[6];
    enum pdf_align align[6];
};
void pdf_table_row(struct pdf_doc *doc, const struct pdf_table *t, const char *const *cells,
                   int header);

/* Two signature blocks side by side: each a role line then label + blank line rows. */
void pdf_signatures(struct pdf_doc *doc, const char *const left[], const char *const right[],
                    int rows);

#endif
