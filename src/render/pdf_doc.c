/* pdf_doc.c - see pdf_doc.h. Points throughout (1/72 inch); A4 with 2 cm margins. */
#include "render/pdf_doc.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdlib.h>

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 56.7
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define CELL_PAD 4.0

/* CJK-capable families first; fontconfig falls back to whatever covers the glyphs. */
#define FONT_FAMILY "Noto Sans CJK SC, WenQuanYi Micro Hei, Noto Sans, sans-serif"

struct pdf_doc {
    struct sbuf *out;
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoLayout *layout;
    double y;
    int page;
};

static cairo_status_t write_to_sbuf(void *closure, const unsigned char *data, unsigned int len)
{
    struct sbuf *b = closure;
    sbuf_append(b, (const char *)data, len);
    return sbuf_failed(b) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* Prepares the shared layout for text of the given size and weight, wrapped at width. */
static PangoLayout *layout_for(struct pdf_doc *doc, const char *text, double size, int bold,
                               double width, enum pdf_align align)
{
    PangoFontDescription *font = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(doc->layout, font);
    pango_font_description_free(font);
    pango_layout_set_width(doc->layout, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(doc->layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_spacing(doc->layout, (int)(size * 0.35 * PANGO_SCALE));
    pango_layout_set_alignment(doc->layout, align == PDF_CENTER  ? PANGO_ALIGN_CENTER
                                            : align == PDF_RIGHT ? PANGO_ALIGN_RIGHT
                                                                 : PANGO_ALIGN_LEFT);
    pango_layout_set_text(doc->layout, text ? text : "", -1);
    return doc->layout;
}

static double layout_height(PangoLayout *layout)
{
    int w, h;
    pango_layout_get_size(layout, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void new_page(struct pdf_doc *doc)
{
    if (doc->page > 0) cairo_show_page(doc->cr);
    doc->page++;
    doc->y = MARGIN;
}

/* Starts a new page when `height` more points do not fit on this one. */
static void ensure_room(struct pdf_doc *doc, double height)
{
    if (doc->y + height > PAGE_H - MARGIN && doc->y > MARGIN) new_page(doc);
}

static void draw_text(struct pdf_doc *doc, const char *text, double size, int bold, double grey,
                      enum pdf_align align, double space_after)
{
    PangoLayout *layout = layout_for(doc, text, size, bold, TEXT_W, align);
    double h = layout_height(layout);
    ensure_room(doc, h);
    cairo_set_source_rgb(doc->cr, grey, grey, grey);
    cairo_move_to(doc->cr, MARGIN, doc->y);
    pango_cairo_show_layout(doc->cr, layout);
    doc->y += h + space_after;
}

struct pdf_doc *pdf_doc_new(struct sbuf *out, const char *title)
{
    struct pdf_doc *doc = calloc(1, sizeof *doc);
    if (!doc) return NULL;
    doc->out = out;
    doc->surface = cairo_pdf_surface_create_for_stream(write_to_sbuf, out, PAGE_W, PAGE_H);
    if (cairo_surface_status(doc->surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(doc->surface);
        free(doc);
        return NULL;
    }
    cairo_pdf_surface_set_metadata(doc->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(doc->surface, CAIRO_PDF_METADATA_CREATOR, "jiayi");
    doc->cr = cairo_create(doc->surface);
    doc->layout = pango_cairo_create_layout(doc->cr);
    new_page(doc);
    return doc;
}

int pdf_doc_finish(struct pdf_doc *doc)
{
    cairo_show_page(doc->cr);
    g_object_unref(doc->layout);
    cairo_destroy(doc->cr);
    cairo_surface_finish(doc->surface);
    int ok = cairo_surface_status(doc->surface) == CAIRO_STATUS_SUCCESS && !sbuf_failed(doc->out);
    cairo_surface_destroy(doc->surface);
    free(doc);
    return ok ? 0 : -1;
}

void pdf_title(struct pdf_doc *doc, const char *text)
{
    draw_text(doc, text, 18, 1, 0, PDF_CENTER, 10);
}

void pdf_heading(struct pdf_doc *doc, const char *text)
{
    /* Keep a heading with at least two lines of what follows. */
    ensure_room(doc, 60);
    doc->y += 6;
    draw_text(doc, text, 12, 1, 0, PDF_LEFT, 5);
}

void pdf_paragraph(struct pdf_doc *doc, const char *text)
{
    draw_text(doc, text, 10.5, 0, 0, PDF_LEFT, 5);
}

void pdf_note(struct pdf_doc *doc, const char *text, enum pdf_align align)
{
    draw_text(doc, text, 8.5, 0, 0.35, align, 4);
}

void pdf_space(struct pdf_doc *doc, double points)
{
    doc->y += points;
}

void pdf_table_row(struct pdf_doc *doc, const struct pdf_table *t, const char *const *cells,
                   int header)
{
    double heights[6], row_h = 0;
    for (int i = 0; i < t->columns; i++) {
        PangoLayout *l = layout_for(doc, cells[i], 10, header, t->widths[i] * TEXT_W - 2 * CELL_PAD,
                                    t->align[i]);
        heights[i] = layout_height(l);
        if (heights[i] > row_h) row_h = heights[i];
    }
    row_h += 2 * CELL_PAD;
    ensure_room(doc, row_h);

    double x = MARGIN;
    if (header) {
        cairo_set_source_rgb(doc->cr, 0.93, 0.93, 0.93);
        cairo_rectangle(doc->cr, MARGIN, doc->y, TEXT_W, row_h);
        cairo_fill(doc->cr);
    }
    cairo_set_line_width(doc->cr, 0.6);
    for (int i = 0; i < t->columns; i++) {
        double w = t->widths[i] * TEXT_W;
        cairo_set_source_rgb(doc->cr, 0.45, 0.45, 0.45);
        cairo_rectangle(doc->cr, x, doc->y, w, row_h);
        cairo_stroke(doc->cr);
        PangoLayout *l = layout_for(doc, cells[i], 10, header, w - 2 * CELL_PAD, t->align[i]);
        cairo_set_source_rgb(doc->cr, 0, 0, 0);
        cairo_move_to(doc->cr, x + CELL_PAD, doc->y + CELL_PAD);
        pango_cairo_show_layout(doc->cr, l);
        x += w;
    }
    doc->y += row_h;
}

static void signature_column(struct pdf_doc *doc, const char *const lines[], int rows, double x,
                             double y)
{
    double w = TEXT_W / 2 - 12;
    for (int i = 0; i < rows; i++) {
        PangoLayout *l = layout_for(doc, lines[i], 10.5, i == 0, w, PDF_LEFT);
        cairo_set_source_rgb(doc->cr, 0, 0, 0);
        cairo_move_to(doc->cr, x, y);
        pango_cairo_show_layout(doc->cr, l);
        if (i > 0) { /* a line to sign or date on, after the label */
            int lw, lh;
            pango_layout_get_pixel_size(l, &lw, &lh);
            cairo_set_line_width(doc->cr, 0.6);
            cairo_move_to(doc->cr, x + lw + 4, y + lh);
            cairo_line_to(doc->cr, x + w, y + lh);
            cairo_stroke(doc->cr);
        }
        y += 30;
    }
}

void pdf_signatures(struct pdf_doc *doc, const char *const left[], const char *const right[],
                    int rows)
{
    double height = rows * 30.0;
    ensure_room(doc, height + 12);
    doc->y += 12;
    signature_column(doc, left, rows, MARGIN, doc->y);
    signature_column(doc, right, rows, MARGIN + TEXT_W / 2 + 12, doc->y);
    doc->y += height;
}
