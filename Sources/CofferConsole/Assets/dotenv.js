// Reading a pasted .env file the way `coffer import` does (Sources/coffer/Dotenv.swift), so a paste in the console
// and an import on the command line mean the same thing: blank lines and `#` comments; an optional `export `;
// keys of letters, digits and `_ . / -`; single-quoted values literally; double-quoted values with `\n \r \t \" \\ \$`
// escapes; unquoted values trimmed, where `#` after white space starts a comment. `${NAME}` is kept: it is a template.

const KEY = /^[A-Za-z0-9_./-]+$/;
const ESCAPES = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/** `{variables: Map, errors: [{line, reason}]}`; a later definition of a key wins, as in a shell. Errors never quote the line. */
export function parseDotenv(text) {
  const variables = new Map();
  const errors = [];
  text.replace(/^\uFEFF/, '').split('\n').forEach((raw, index) => {
    try {
      const entry = parseLine(raw.replace(/\r$/, ''));
      if (entry) variables.set(entry[0], entry[1]);
    } catch (error) {
      errors.push({ line: index + 1, reason: error.message });
    }
  });
  return { variables, errors };
}

function parseLine(line) {
  let rest = line.replace(/^[ \t]+/, '');
  if (rest === '' || rest.startsWith('#')) return null;
  if (/^export[ \t]/.test(rest)) rest = rest.slice(6).replace(/^[ \t]+/, '');
  const equals = rest.indexOf('=');
  if (equals < 0) throw new Error('expected KEY=value');
  const key = rest.slice(0, equals).trim();
  if (key === '') throw new Error('the key before \'=\' is empty');
  if (!KEY.test(key)) throw new Error('a key may hold only letters, digits, \'_\', \'.\', \'/\' and \'-\'');
  const value = rest.slice(equals + 1).replace(/^[ \t]+/, '');
  if (value.startsWith('\'')) return [key, singleQuoted(value.slice(1))];
  if (value.startsWith('"')) return [key, doubleQuoted(value.slice(1))];
  return [key, unquoted(value)];
}

function singleQuoted(text) {
  const close = text.indexOf('\'');
  if (close < 0) throw new Error('the single-quoted value has no closing quote');
  onlyComment(text.slice(close + 1));
  return text.slice(0, close);
}

function doubleQuoted(text) {
  let value = '';
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (character === '"') {
      onlyComment(text.slice(index + 1));
      return value;
    }
    if (character === '\\' && index + 1 < text.length) {
      const next = text[index + 1];
      value += ESCAPES[next] ?? `\\${next}`;
      index += 1;
    } else {
      value += character;
    }
  }
  throw new Error('the double-quoted value has no closing quote');
}

function unquoted(text) {
  const comment = text.search(/[ \t]#/);
  return (comment < 0 ? text : text.slice(0, comment)).trim();
}

function onlyComment(text) {
  const rest = text.replace(/^[ \t]+/, '');
  if (rest !== '' && !rest.startsWith('#')) throw new Error('unexpected text after the closing quote');
}

/**
 * What applying `incoming` to `current` (both Map key -> value) changes, by key name only. `replace` makes the pasted
 * keys the whole set (absent keys are removed); otherwise the paste adds and changes keys and removes none.
 */
export function previewChanges(current, incoming, { replace }) {
  const added = [];
  const changed = [];
  let unchanged = 0;
  for (const [key, value] of incoming) {
    if (!current.has(key)) added.push(key);
    else if (current.get(key) !== value) changed.push(key);
    else unchanged += 1;
  }
  const removed = replace ? [...current.keys()].filter((key) => !incoming.has(key)) : [];
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort(), unchanged };
}
