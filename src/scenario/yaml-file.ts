/**
 * Reading a user's YAML (or JSON) file: syntax errors and unreadable files become one-line UserErrors with
 * the line and column; the parsed document is kept so every later field error can name its line.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { isCollection, isPair, LineCounter, parseDocument, visit } from 'yaml';
import { UserError } from '../errors.js';
import { Checker } from './fields.js';

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function readReason(e: unknown): string {
  const code = e instanceof Error && 'code' in e ? e.code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  return e instanceof Error ? e.message : String(e);
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/** Parse `file`; `what` names the kind of file in messages ("scenario file", "layout file"). */
export function readYamlFile(
  file: string,
  display: string,
  what: string,
): { checker: Checker; data: unknown } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${display}: cannot read the ${what}: ${readReason(e)}`);
  }
  const lines = new LineCounter();
  // uniqueKeys: a repeated key would otherwise silently win over the first one.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lines.linePos(err.pos[0]);
    // a .json file is read as YAML (JSON is YAML), but its author wrote JSON
    const kind = /\.json$/i.test(file) ? 'JSON' : 'YAML';
    const problem =
      err.code === 'MULTIPLE_DOCS' ? `the file holds more than one ${kind} document` : oneLine(err.message);
    throw new UserError(
      `${display}:${line}:${col}: ${kind} syntax error: ${problem}; expected one valid ${kind} document`,
    );
  }
  // a key that is itself a mapping or list has no meaning here (and yaml would warn on stderr turning it into JS)
  let badKey: number | undefined;
  visit(doc, {
    Pair(_k, pair) {
      if (isPair(pair) && isCollection(pair.key) && badKey === undefined) badKey = pair.key.range?.[0] ?? 0;
    },
  });
  if (badKey !== undefined) {
    const { line } = lines.linePos(badKey);
    throw new UserError(
      `${display}:${line}: a key that is a mapping or a list is not allowed; expected plain field names`,
    );
  }
  let data: unknown;
  try {
    // maxAliasCount bounds "billion laughs" alias expansion.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new UserError(`${display}: YAML error: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
  return { checker: new Checker(display, doc, lines, data), data };
}
