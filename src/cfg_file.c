/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reads the libconfig configuration file: the text checks, the parse, and
 * the typed readers that cfg_settings.c uses for each setting. Every error
 * names the file, line and setting path with the accepted values.
 */
#include "cfg.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "cfg_internal.h"
#include "log.h"

/* Appends the dotted path of setting, e.g. "sink.channels[0].topic". */
static void cfg_append_path(struct buf *path, const config_setting_t *setting)
{
        const config_setting_t *parent = config_setting_parent(setting);

        if (parent == NULL)
                return;
        cfg_append_path(path, parent);
        if (config_setting_name(setting) == NULL) {
                buf_printf(path, "[%d]", config_setting_index(setting));
                return;
        }
        if (path->len > 0)
                buf_append_char(path, '.');
        buf_append_str(path, config_setting_name(setting));
}

int cfg_fail(struct cfg_loader *loader, const config_setting_t *setting,
             const char *fmt, ...)
{
        const char *file = config_setting_source_file(setting);
        struct buf path = BUF_INIT;
        char problem[1024];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(problem, sizeof(problem), fmt, ap);
        va_end(ap);
        cfg_append_path(&path, setting);
        snprintf(loader->errstr, loader->errstr_size, "%s:%u: %s: %s",
                 file ? file : loader->path,
                 config_setting_source_line(setting),
                 path.data ? path.data : "", problem);
        buf_free(&path);
        return -1;
}

const char *cfg_type_name(const config_setting_t *setting)
{
        switch (config_setting_type(setting)) {
        case CONFIG_TYPE_GROUP:
                return "a group";
        case CONFIG_TYPE_INT:
        case CONFIG_TYPE_INT64:
                return "an integer";
        case CONFIG_TYPE_FLOAT:
                return "a float";
        case CONFIG_TYPE_STRING:
                return "a string";
        case CONFIG_TYPE_BOOL:
                return "a boolean";
        case CONFIG_TYPE_ARRAY:
                return "an array";
        case CONFIG_TYPE_LIST:
                return "a list";
        default:
                return "an unknown type";
        }
}

/* Appends "a, b or c". */
static void cfg_append_choices(struct buf *out, const char *const *choices,
                               size_t count)
{
        for (size_t i = 0; i < count; i++) {
                if (i > 0)
                        buf_append_str(out, i + 1 == count ? " or " : ", ");
                buf_append_str(out, choices[i]);
        }
}

char *cfg_resolve_path(const struct cfg_loader *loader, const char *path)
{
        struct buf resolved = BUF_INIT;

        if (path[0] == '/' || loader->dir == NULL)
                return xstrdup(path);
        buf_printf(&resolved, "%s%s", loader->dir, path);
        return resolved.data;
}

int cfg_read_string(struct cfg_loader *loader, const config_setting_t *setting,
                    const char **out)
{
        *out = NULL;
        if (config_setting_type(setting) != CONFIG_TYPE_STRING)
                return cfg_fail(loader, setting, "expected a string, got %s",
                                cfg_type_name(setting));
        *out = config_setting_get_string(setting);
        return 0;
}

int cfg_read_nonempty_string(struct cfg_loader *loader,
                             const config_setting_t *setting, const char **out)
{
        if (cfg_read_string(loader, setting, out) != 0)
                return -1;
        if ((*out)[0] == '\0')
                return cfg_fail(loader, setting, "must not be empty");
        return 0;
}

int cfg_read_integer(struct cfg_loader *loader, const config_setting_t *setting,
                     long long min, long long max, const char *unit,
                     long long *out)
{
        int type = config_setting_type(setting);
        const char *space = unit[0] ? " " : "";
        long long value;

        if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
                return cfg_fail(loader, setting,
                                "expected an integer from %lld to %lld%s%s, "
                                "got %s",
                                min, max, space, unit, cfg_type_name(setting));
        value = config_setting_get_int64(setting);
        if (value < min || value > max)
                return cfg_fail(loader, setting,
                                "%lld is out of range (use %lld to %lld%s%s)",
                                value, min, max, space, unit);
        *out = value;
        return 0;
}

int cfg_read_bool(struct cfg_loader *loader, const config_setting_t *setting,
                  int *out)
{
        if (config_setting_type(setting) != CONFIG_TYPE_BOOL)
                return cfg_fail(loader, setting,
                                "expected true or false, got %s",
                                cfg_type_name(setting));
        *out = config_setting_get_bool(setting);
        return 0;
}

int cfg_read_choice(struct cfg_loader *loader, const config_setting_t *setting,
                    const char *const *choices, size_t count, size_t *index)
{
        struct buf accepted = BUF_INIT;
        const char *value;
        int rc;

        if (cfg_read_string(loader, setting, &value) != 0)
                return -1;
        for (size_t i = 0; i < count; i++) {
                if (strcmp(value, choices[i]) == 0) {
                        *index = i;
                        return 0;
                }
        }
        cfg_append_choices(&accepted, choices, count);
        rc = cfg_fail(loader, setting, "\"%s\" is not valid (use %s)", value,
                      accepted.data);
        buf_free(&accepted);
        return rc;
}

int cfg_read_topic(struct cfg_loader *loader, const config_setting_t *setting,
                   const char **out)
{
        char reason[512];

        if (cfg_read_string(loader, setting, out) != 0)
                return -1;
        if (cfg_check_topic_name(*out, reason, sizeof(reason)) != 0)
                return cfg_fail(loader, setting, "%s", reason);
        return 0;
}

static int cfg_unknown_setting(struct cfg_loader *loader,
                               const config_setting_t *setting,
                               const struct cfg_field *fields, size_t count)
{
        struct buf accepted = BUF_INIT;
        int rc;

        for (size_t i = 0; i < count; i++) {
                if (i > 0)
                        buf_append_str(&accepted,
                                       i + 1 == count ? " or " : ", ");
                buf_append_str(&accepted, fields[i].name);
        }
        rc = cfg_fail(loader, setting, "unknown setting (use %s)",
                      accepted.data);
        buf_free(&accepted);
        return rc;
}

int cfg_read_fields(struct cfg_loader *loader, const config_setting_t *group,
                    const struct cfg_field *fields, size_t count)
{
        if (!config_setting_is_group(group))
                return cfg_fail(loader, group,
                                "expected a group { ... }, got %s",
                                cfg_type_name(group));

        for (int i = 0; i < config_setting_length(group); i++) {
                const config_setting_t *setting =
                        config_setting_get_elem(group, (unsigned)i);
                const char *name = config_setting_name(setting);
                const struct cfg_field *field = NULL;

                for (size_t j = 0; j < count && field == NULL; j++) {
                        if (strcmp(fields[j].name, name) == 0)
                                field = &fields[j];
                }
                if (field == NULL)
                        return cfg_unknown_setting(loader, setting, fields,
                                                   count);
                if (field->read(loader, setting) != 0)
                        return -1;
        }
        return 0;
}

int cfg_read_string_pair(struct cfg_loader *loader,
                         const config_setting_t *group,
                         const char *const names[2],
                         const config_setting_t *members[2])
{
        members[0] = NULL;
        members[1] = NULL;
        if (!config_setting_is_group(group))
                return cfg_fail(loader, group,
                                "expected a group { %s = \"...\"; %s = "
                                "\"...\"; }, got %s",
                                names[0], names[1], cfg_type_name(group));

        for (int i = 0; i < config_setting_length(group); i++) {
                const config_setting_t *member =
                        config_setting_get_elem(group, (unsigned)i);
                const char *name = config_setting_name(member);

                if (strcmp(name, names[0]) == 0)
                        members[0] = member;
                else if (strcmp(name, names[1]) == 0)
                        members[1] = member;
                else
                        return cfg_fail(loader, member,
                                        "unknown setting (use %s or %s)",
                                        names[0], names[1]);
        }
        for (int i = 0; i < 2; i++) {
                if (members[i] == NULL)
                        return cfg_fail(loader, group, "%s is missing",
                                        names[i]);
        }
        return 0;
}

int cfg_is_list_or_array(const config_setting_t *setting)
{
        return config_setting_is_list(setting) ||
               config_setting_is_array(setting);
}

/* Reading the file */

/*
 * Checks one number token of the file text: an integer without an L
 * suffix must fit in 32 bits. Floats and 64-bit integers pass.
 */
static int cfg_check_integer_token(struct cfg_loader *loader, const char *token,
                                   size_t len, unsigned line)
{
        const char *digits = token;
        unsigned long long value;
        unsigned long long max = INT_MAX;
        int base = 10;
        char *end;

        if (token[len - 1] == 'L')
                return 0;
        if (*digits == '-' || *digits == '+') {
                if (*digits == '-')
                        max = (unsigned long long)INT_MAX + 1;
                digits++;
        }
        if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
                base = 16;
        else if (memchr(token, '.', len) != NULL ||
                 memchr(token, 'e', len) != NULL ||
                 memchr(token, 'E', len) != NULL)
                return 0;

        errno = 0;
        value = strtoull(digits, &end, base);
        if (end != token + len)
                return 0; /* not a number: libconfig reports the syntax */
        if (errno != ERANGE && value <= max)
                return 0;
        snprintf(loader->errstr, loader->errstr_size,
                 "%s:%u: %.*s does not fit in a 32-bit integer (write "
                 "%.*sL for a 64-bit integer)",
                 loader->path, line, (int)len, token, (int)len, token);
        return -1;
}

/*
 * Rejects decimal and hexadecimal integers without an L suffix that do not
 * fit in 32 bits. libconfig 1.5 stores them truncated without an error, so
 * 4294967297 would silently read as 1. The scan skips comments, strings
 * and names, and follows libconfig's number syntax closely enough for
 * that. Returns 0, or -1 with "FILE:LINE: ..." in errstr.
 *
 * NOTE: files pulled in with @include are not scanned.
 */
static int cfg_check_integer_literals(struct cfg_loader *loader,
                                      const char *text)
{
        unsigned line = 1;
        const char *p = text;

        while (*p) {
                if (*p == '\n') {
                        line++;
                        p++;
                } else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
                        while (*p && *p != '\n')
                                p++;
                } else if (p[0] == '/' && p[1] == '*') {
                        for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
                                line += *p == '\n';
                        p += *p ? 2 : 0;
                } else if (*p == '"') {
                        for (p++; *p && *p != '"'; p++) {
                                if (*p == '\\' && p[1])
                                        p++;
                                line += *p == '\n';
                        }
                        p += *p ? 1 : 0;
                } else if (isalpha((unsigned char)*p) || *p == '*') {
                        while (isalnum((unsigned char)*p) || *p == '_' ||
                               *p == '-' || *p == '*')
                                p++;
                } else if (isdigit((unsigned char)*p) ||
                           ((*p == '-' || *p == '+') &&
                            isdigit((unsigned char)p[1]))) {
                        const char *start = p;
                        if (*p == '-' || *p == '+')
                                p++;
                        while (isalnum((unsigned char)*p) || *p == '.' ||
                               ((*p == '-' || *p == '+') &&
                                (p[-1] == 'e' || p[-1] == 'E')))
                                p++;
                        if (cfg_check_integer_token(loader, start,
                                                    (size_t)(p - start),
                                                    line) != 0)
                                return -1;
                } else {
                        p++;
                }
        }
        return 0;
}

static int cfg_read_text(const char *path, struct buf *text, char *errstr,
                         size_t errstr_size)
{
        FILE *fp = fopen(path, "r");
        char chunk[4096];
        size_t n;

        if (fp == NULL) {
                snprintf(errstr, errstr_size, "%s: cannot open: %s", path,
                         strerror(errno));
                return -1;
        }
        while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
                buf_append(text, chunk, n);
        if (ferror(fp)) {
                snprintf(errstr, errstr_size, "%s: cannot read: %s", path,
                         strerror(errno));
                fclose(fp);
                return -1;
        }
        fclose(fp);
        buf_append(text, "", 0); /* an empty file still gets a string */

        /* libconfig would silently stop reading at the first NUL byte. */
        const char *nul = memchr(text->data, '\0', text->len);
        if (nul != NULL) {
                snprintf(errstr, errstr_size,
                         "%s: contains a NUL byte at offset %zu (expected a "
                         "text file)",
                         path, (size_t)(nul - text->data));
                return -1;
        }
        return 0;
}

/* Returns the directory part of path with its trailing '/', or NULL. */
static char *cfg_dir_of(const char *path)
{
        const char *slash = strrchr(path, '/');

        if (slash == NULL)
                return NULL;
        return xstrndup(path, (size_t)(slash - path) + 1);
}

/* Applies the rules that span several settings, after the whole file. */
static void cfg_finish_load(struct cfg_loader *loader)
{
        struct cfg *cfg = loader->cfg;

        if (cfg->delivery == CFG_DELIVERY_EXACTLY_ONCE &&
            cfg->transactional_id == NULL)
                cfg->transactional_id =
                        cfg_default_transactional_id(cfg->group_id);
        if (cfg->delivery == CFG_DELIVERY_AT_LEAST_ONCE &&
            loader->transactional_id_set)
                log_msg(LOG_LEVEL_WARNING, "CONFIG",
                        "%s: sink.transactional_id is ignored because "
                        "sink.delivery is at-least-once",
                        loader->path);
}

static int cfg_parse_text(struct cfg_loader *loader, config_t *config,
                          const char *text)
{
        const char *file;

        if (cfg_check_integer_literals(loader, text) != 0)
                return -1;
        if (config_read_string(config, text) == CONFIG_TRUE)
                return 0;
        file = config_error_file(config);
        snprintf(loader->errstr, loader->errstr_size, "%s:%d: %s",
                 file ? file : loader->path, config_error_line(config),
                 config_error_text(config));
        return -1;
}

int cfg_load_file(struct cfg *cfg, const char *path, char *errstr,
                  size_t errstr_size)
{
        struct cfg_loader loader = {
                .cfg = cfg,
                .path = path,
                .errstr = errstr,
                .errstr_size = errstr_size,
        };
        struct buf text = BUF_INIT;
        config_t config;
        int rc;

        if (cfg_read_text(path, &text, errstr, errstr_size) != 0) {
                buf_free(&text);
                return -1;
        }
        loader.dir = cfg_dir_of(path);
        config_init(&config);
        if (loader.dir != NULL)
                config_set_include_dir(&config, loader.dir);

        rc = cfg_parse_text(&loader, &config, text.data);
        if (rc == 0)
                rc = cfg_read_root(&loader, config_root_setting(&config));
        if (rc == 0)
                cfg_finish_load(&loader);

        config_destroy(&config);
        free(loader.dir);
        buf_free(&text);
        return rc;
}
