#!/usr/bin/env bash
# Functions and files a reader can hold: no C++ file of src/ over 600 lines
# (the generated Beta tables aside) and no function over 120. Prints
# "ok sizes", or one "not ok sizes - FILE N lines" / "not ok sizes -
# FILE:FUNCTION N lines" for each that is over. A function is counted from
# the first line of its signature to its closing brace; the scan matches
# braces (outside comments, strings and character literals), which is enough
# for code as clang-format writes it.
# synthdata-check: once
set -uo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT_DIR"
MAX_FILE_LINES=${MAX_FILE_LINES:-600}
MAX_FUNCTION_LINES=${MAX_FUNCTION_LINES:-120}
mapfile -t files < <(git ls-files 'src/*.cpp' 'src/*.hpp' 2>/dev/null | grep -v '/beta_quantile_tables\.cpp$')
[ ${#files[@]} -gt 0 ] ||
  mapfile -t files < <(find src -name '*.cpp' -o -name '*.hpp' | grep -v '/beta_quantile_tables\.cpp$' | sort)
python3 - "$MAX_FILE_LINES" "$MAX_FUNCTION_LINES" "${files[@]}" <<'EOF'
import re
import sys

max_file, max_function = int(sys.argv[1]), int(sys.argv[2])
files = sys.argv[3:]


def code_of(text):
    """The text with comments, strings and character literals blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '#' and text[text.rfind('\n', 0, i) + 1:i].strip() == '':  # a preprocessor line
            j = text.find('\n', i)
            while j > 0 and text[j - 1] == '\\':
                out.append('\n')
                j = text.find('\n', j + 1)
            i = n if j < 0 else j
        elif text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif c == 'R' and text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == '_')):
            open_paren = text.find('(', i + 2)
            delimiter = ')' + text[i + 2:open_paren] + '"'
            j = text.find(delimiter, open_paren)
            j = n if j < 0 else j + len(delimiter)
            out.append('""' + re.sub(r'[^\n]', ' ', text[i + 2:j]))
            i = j
        elif c == '"' or (c == "'" and not (i > 0 and text[i - 1].isalnum())):  # 1'000 is a digit separator
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            out.append(c + ' ' * (j - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


SCOPES = re.compile(r'^\s*(?:template\s*<.*>\s*)?(namespace|extern|class|struct|union|enum)\b')


def brace_initialiser(statement):
    """A brace that follows a name inside a declaration or a constructor's
    initialiser list (x{1}, Band{0.3}), not the brace of a body."""
    words = re.findall(r'\w+$', statement.rstrip())
    if not words or SCOPES.match(statement):
        return False
    if words[0] in ('const', 'noexcept', 'override', 'final', 'mutable', 'try'):
        return False
    return '->' not in statement.rsplit(')', 1)[-1]


def function_name(signature):
    macro = re.match(r'\s*SYNTH_FUNCTION\s*\(\s*(\w+)', signature)
    if macro:
        return macro.group(1)
    head = signature.split('(', 1)[0]
    names = re.findall(r'[~\w:]+|operator\S+', head)
    return names[-1] if names else '?'


failures = []
for path in files:
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    lines = text.count('\n') + (0 if text.endswith('\n') else 1)
    if lines > max_file:
        failures.append(f'{path} {lines} lines')
    code = code_of(text)
    # A stack of open braces: (kind, name, first line). A function is a brace
    # opened at namespace or class scope after a signature with parentheses.
    stack = []
    statement, statement_line = '', None
    line = 1
    for c in code:
        if c == '\n':
            line += 1
            statement += ' '
            continue
        if c == '{':
            in_scope = all(kind == 'scope' for kind, _, _ in stack)
            start = statement_line if statement_line is not None else line
            if in_scope and SCOPES.match(statement):
                stack.append(('scope', None, start))
            elif in_scope and brace_initialiser(statement):
                stack.append(('init', None, start))
                statement += '{'
                continue
            elif in_scope and '(' in statement and '=' not in statement.split('(', 1)[0]:
                stack.append(('function', function_name(statement), start))
            else:
                stack.append(('block', None, start))
            statement, statement_line = '', None
        elif c == '}':
            if stack and stack[-1][0] == 'init':
                stack.pop()
                statement += '}'
                continue
            if stack:
                kind, name, start = stack.pop()
                if kind == 'function' and line - start + 1 > max_function:
                    failures.append(f'{path}:{name} {line - start + 1} lines')
            statement, statement_line = '', None
        elif c == ';':
            statement, statement_line = '', None
        elif c == ':' and statement.strip() in ('public', 'private', 'protected'):
            statement, statement_line = '', None
        else:
            if statement_line is None and not c.isspace():
                statement_line = line
            statement += c

if failures:
    for failure in failures:
        print(f'not ok sizes - {failure}')
else:
    print(f'ok sizes ({len(files)} files of src/ within {max_file} lines, their functions within {max_function})')
EOF
exit 0
