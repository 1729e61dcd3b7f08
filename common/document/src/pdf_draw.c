/* Drawing primitives of the proposal: text, wrapped text, rectangles,
 * rules. Each is a no-op during the layout's dry run. */
#include <string.h>

#include "proposal_internal.h"

/* Longest single run of text drawn at once (a wrapped cell line, a value);
 * longer runs are cut. Cells hold at most ~1.1 KB (16 options). */
#define PP_RUN_MAX 2048

static int drawing(const pp_ctx *c)
{
    return c->draw && c->page != NULL;
}

float pp_text_width(HPDF_Font font, float size, const char *text, size_t len)
{
    if (len == 0)
        return 0.0f;
    HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)text, (HPDF_UINT)len);
    return (float)tw.width * size / 1000.0f;
}

static float char_width(HPDF_Font font, float size, char ch)
{
    return pp_text_width(font, size, &ch, 1);
}

void pp_text(pp_ctx *c, HPDF_Font font, float size, float x, float y, const char *text, size_t len)
{
    char run[PP_RUN_MAX];
    if (!drawing(c) || len == 0)
        return;
    if (len >= sizeof run)
        len = sizeof run - 1;
    memcpy(run, text, len);
    run[len] = '\0';
    HPDF_Page_BeginText(c->page);
    HPDF_Page_SetFontAndSize(c->page, font, size);
    HPDF_Page_TextOut(c->page, x, y, run);
    HPDF_Page_EndText(c->page);
}

void pp_fit_text(pp_ctx *c, HPDF_Font font, float size, float x, float w, float y, const char *text,
                 int right)
{
    size_t len = strlen(text);
    float tw = pp_text_width(font, size, text, len);
    if (tw > w) {
        size = size * w / tw > size / 2 ? size * w / tw : size / 2;
        while (len > 0 && (tw = pp_text_width(font, size, text, len)) > w)
            len--;
    }
    pp_text(c, font, size, right ? x + w - tw : x, y, text, len);
}

void pp_fill_color(pp_ctx *c, const float rgb[3])
{
    if (drawing(c))
        HPDF_Page_SetRGBFill(c->page, rgb[0], rgb[1], rgb[2]);
}

void pp_fill_rect(pp_ctx *c, const float rgb[3], float x, float y, float w, float h)
{
    if (!drawing(c))
        return;
    HPDF_Page_SetRGBFill(c->page, rgb[0], rgb[1], rgb[2]);
    HPDF_Page_Rectangle(c->page, x, y, w, h);
    HPDF_Page_Fill(c->page);
}

void pp_hline(pp_ctx *c, float x, float y, float w, float gray, float width)
{
    if (!drawing(c))
        return;
    HPDF_Page_SetGrayStroke(c->page, gray);
    HPDF_Page_SetLineWidth(c->page, width);
    HPDF_Page_MoveTo(c->page, x, y);
    HPDF_Page_LineTo(c->page, x + w, y);
    HPDF_Page_Stroke(c->page);
}

/* End of the next line starting at pos: as many characters as fit in w,
 * broken after the last space when the text goes on (a word longer than
 * the width is broken inside). At least one character. */
static size_t line_end(HPDF_Font font, float size, const char *text, size_t pos, float w)
{
    float sum = 0.0f;
    size_t end = pos, last_space = 0;
    while (text[end]) {
        float cw = char_width(font, size, text[end]);
        if (sum + cw > w && end > pos)
            break;
        if (text[end] == ' ')
            last_space = end;
        sum += cw;
        end++;
    }
    if (text[end] && text[end] != ' ' && last_space > pos)
        end = last_space;
    return end;
}

unsigned pp_wrap(HPDF_Font font, float size, const char *text, float w, unsigned max_lines, size_t *starts,
                 size_t *lens, int *cut)
{
    unsigned n = 0;
    size_t pos = 0;
    *cut = 0;
    while (text[pos] == ' ')
        pos++;
    while (text[pos] && n < max_lines) {
        size_t end = line_end(font, size, text, pos, w);
        size_t len = end - pos;
        while (len > 0 && text[pos + len - 1] == ' ')
            len--;
        starts[n] = pos;
        lens[n++] = len;
        pos = end;
        while (text[pos] == ' ')
            pos++;
    }
    if (n == 0) {
        starts[0] = lens[0] = 0;
        n = 1;
    }
    *cut = text[pos] != '\0';
    return n;
}

/* The last line of a cut cell: as much as fits with "..." after it. */
static void draw_cut_line(pp_ctx *c, HPDF_Font font, float size, float x, float w, float y,
                          const char *line, size_t len)
{
    char run[PP_RUN_MAX];
    float dots = pp_text_width(font, size, "...", 3);
    while (len > 0 && pp_text_width(font, size, line, len) + dots > w)
        len--;
    if (len > sizeof run - 4)
        len = sizeof run - 4;
    memcpy(run, line, len);
    memcpy(run + len, "...", 3);
    pp_text(c, font, size, x, y, run, len + 3);
}

unsigned pp_wrap_text(pp_ctx *c, HPDF_Font font, float size, float x, float w, float y, unsigned max_lines,
                      const char *text)
{
    size_t starts[PP_MAX_CELL_LINES], lens[PP_MAX_CELL_LINES];
    int cut;
    unsigned n = pp_wrap(font, size, text, w, max_lines, starts, lens, &cut);
    for (unsigned i = 0; i < n; i++, y -= PP_LEADING) {
        if (cut && i + 1 == n)
            draw_cut_line(c, font, size, x, w, y, text + starts[i], lens[i]);
        else
            pp_text(c, font, size, x, y, text + starts[i], lens[i]);
    }
    return n;
}
