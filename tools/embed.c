/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Build tool: turns a file into a C source that defines a byte array and
 * its length, so the shipped AsyncAPI document works from any directory.
 * Usage: embed INPUT OUTPUT SYMBOL
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
        if (argc != 4) {
                fprintf(stderr, "usage: embed INPUT OUTPUT SYMBOL\n");
                return 2;
        }
        FILE *in = fopen(argv[1], "rb");
        if (!in) {
                perror(argv[1]);
                return 1;
        }
        FILE *out = fopen(argv[2], "w");
        if (!out) {
                perror(argv[2]);
                fclose(in);
                return 1;
        }
        fprintf(out, "/* Generated from %s by tools/embed.c. */\n", argv[1]);
        fprintf(out, "#include <stddef.h>\n");
        fprintf(out, "const char %s[] = {\n", argv[3]);
        size_t n = 0;
        int c;
        while ((c = fgetc(in)) != EOF) {
                fprintf(out, "0x%02x,%s", (unsigned)c, ++n % 12 ? "" : "\n");
        }
        fprintf(out, "0x00};\n");
        fprintf(out, "const size_t %s_len = %zu;\n", argv[3], n);
        int failed = ferror(in) || fclose(out) != 0;
        fclose(in);
        return failed ? 1 : 0;
}
