/* SPDX-License-Identifier: Apache-2.0 */
/* Pieces of the schema module's error messages: quoted values and types. */
#include <string.h>

#include "schema_internal.h"

void schema_message_quote(struct buf *out, const struct json_value *v,
                          size_t max)
{
        struct buf text = BUF_INIT;
        json_write(v, &text);
        if (text.len <= max) {
                buf_append(out, text.data, text.len);
        } else {
                size_t cut = max;
                /* Back up to the first byte of a UTF-8 sequence. */
                while (cut > 0 &&
                       ((unsigned char)text.data[cut] & 0xc0) == 0x80)
                        cut--;
                buf_append(out, text.data, cut);
                buf_append_str(out, "...");
        }
        buf_free(&text);
}

void schema_message_types(struct buf *out, unsigned types)
{
        static const char *const names[] = {"null",   "boolean", "integer",
                                            "number", "string",  "array",
                                            "object"};
        size_t total = 0, written = 0;
        for (int i = 0; i < 7; i++)
                total += (types >> i) & 1;
        if (total == 0) {
                buf_append_str(out, "no type at all");
                return;
        }
        for (int i = 0; i < 7; i++) {
                if (!((types >> i) & 1))
                        continue;
                if (written > 0)
                        buf_append_str(out, written + 1 == total ? " or "
                                                                 : ", ");
                buf_append_str(out, names[i]);
                written++;
        }
}
