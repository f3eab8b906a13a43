/**
 * Java (`java.util.regex`) patterns of the service model, translated to JavaScript `u`-mode RegExps with
 * AWS's whole-value match semantics. Constructs JavaScript cannot reproduce are reported, not guessed.
 */

export type PatternTranslation =
  | { readonly ok: true; readonly source: string; readonly flags: string; readonly multiline: boolean }
  | { readonly ok: false; readonly reason: string };

class Unsupported extends Error {}

/** Java's `\s` (without UNICODE_CHARACTER_CLASS) is ASCII-only, unlike JavaScript's. As class items: */
const JAVA_WS = '\\t\\n\\x0B\\f\\r ';
/** Java's `.` excludes these line terminators (unless DOTALL). */
const JAVA_DOT = '[^\\n\\r\\u0085\\u2028\\u2029]';
/** Java's non-multiline `$`: end of input, or before a line terminator at the end of input. */
const JAVA_DOLLAR = '(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])?$)';

/** Unicode general categories, which Java and JavaScript (`u` flag) both accept as `\p{..}`. */
const GENERAL_CATEGORIES: ReadonlySet<string> = new Set([
  'L', 'LC', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'M', 'Mn', 'Mc', 'Me', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Ps',
  'Pe', 'Pi', 'Pf', 'Po', 'S', 'Sm', 'Sc', 'Sk', 'So', 'Z', 'Zs', 'Zl', 'Zp', 'C', 'Cc', 'Cf', 'Cs', 'Co', 'Cn',
]);

/** Characters that must be escaped to be literal outside a class in a `u`-mode RegExp. */
const SYNTAX_CHARS = '^$\\.*+?()[]{}|/';
/** Characters that must be escaped to be literal inside a class. */
const CLASS_SPECIAL = '\\]-^[';

const HEX = /^[0-9a-fA-F]+$/;

/** One class item: a single character (may be a range endpoint) or a set such as `\w` or `\p{L}`. */
interface ClassAtom {
  readonly text: string;
  readonly single: boolean;
  /** Java `\S`: handled specially because it has no single-class JavaScript equivalent. */
  readonly notJavaSpace?: boolean;
}

class JavaRegexTranslator {
  private i = 0;
  private dotAll = false;
  private ignoreCase = false;
  private multiline = false;

  constructor(private readonly src: string) {}

  run(): { source: string; flags: string; multiline: boolean } {
    const src = this.src;
    // Leading inline flags, e.g. `(?s)`: the only place they are supported.
    const flagRe = /\(\?([a-zA-Z]+)\)/y;
    for (;;) {
      flagRe.lastIndex = this.i;
      const m = flagRe.exec(src);
      if (m === null) break;
      for (const f of m[1] ?? '') {
        if (f === 's') this.dotAll = true;
        else if (f === 'i') this.ignoreCase = true; // JS `iu` folds Unicode case, Java only ASCII: close enough
        else if (f === 'm') this.multiline = true;
        else throw new Unsupported(`inline flag (?${f})`);
      }
      this.i = flagRe.lastIndex;
    }
    let out = '';
    while (this.i < src.length) {
      const c = src.charAt(this.i);
      switch (c) {
        case '\\':
          out += this.escapeOutside();
          break;
        case '[':
          out += this.charClass();
          break;
        case '.':
          this.i++;
          out += this.dotAll ? '[^]' : JAVA_DOT;
          break;
        case '$':
          this.i++;
          out += this.multiline || this.i === src.length ? '$' : JAVA_DOLLAR;
          break;
        case '(':
          out += this.group();
          break;
        case '*':
        case '+':
        case '?':
          this.i++;
          out += c + this.quantifierSuffix();
          break;
        case '{': {
          const re = /\{\d+(?:,\d*)?\}/y;
          re.lastIndex = this.i;
          const m = re.exec(src);
          if (m === null) throw new Unsupported('illegal repetition');
          this.i = re.lastIndex;
          out += m[0] + this.quantifierSuffix();
          break;
        }
        case '}':
        case ']':
          this.i++;
          out += '\\' + c;
          break;
        default: {
          // ^ | ) and every literal character (whole code point, so surrogate pairs stay together).
          const cp = src.codePointAt(this.i) ?? 0;
          const ch = String.fromCodePoint(cp);
          this.i += ch.length;
          out += ch;
        }
      }
    }
    let flags = '';
    if (this.ignoreCase) flags += 'i';
    if (this.multiline) flags += 'm';
    return { source: out, flags, multiline: this.multiline };
  }

  private quantifierSuffix(): string {
    const next = this.src.charAt(this.i);
    if (next === '+') throw new Unsupported('possessive quantifier');
    if (next === '?') {
      this.i++;
      return '?';
    }
    return '';
  }

  private group(): string {
    const rest = this.src.slice(this.i, this.i + 4);
    for (const prefix of ['(?:', '(?=', '(?!', '(?<=', '(?<!']) {
      if (rest.startsWith(prefix)) {
        this.i += prefix.length;
        return prefix;
      }
    }
    if (rest.startsWith('(?<')) {
      const re = /\(\?<([a-zA-Z][a-zA-Z0-9]*)>/y;
      re.lastIndex = this.i;
      const m = re.exec(this.src);
      if (m === null) throw new Unsupported('malformed named group');
      this.i = re.lastIndex;
      return m[0];
    }
    if (rest.startsWith('(?')) throw new Unsupported(`group construct ${rest}`);
    this.i++;
    return '(';
  }

  /** Parses `\x..`, `\u....`, `\0oo`, `\cX`, `\t`...: a single code point, or undefined if `c` is none of them. */
  private singleCharEscape(c: string): string | undefined {
    const src = this.src;
    switch (c) {
      case 't':
      case 'n':
      case 'r':
      case 'f':
        return '\\' + c;
      case 'a':
        return '\\x07';
      case 'e':
        return '\\x1B';
      case 'x': {
        if (src.charAt(this.i) === '{') {
          const end = src.indexOf('}', this.i);
          const hex = end < 0 ? '' : src.slice(this.i + 1, end);
          if (!HEX.test(hex) || Number.parseInt(hex, 16) > 0x10ffff) throw new Unsupported('bad \\x{...} escape');
          this.i = end + 1;
          return `\\u{${hex}}`;
        }
        const hex = src.slice(this.i, this.i + 2);
        if (hex.length !== 2 || !HEX.test(hex)) throw new Unsupported('bad \\x escape');
        this.i += 2;
        return '\\x' + hex;
      }
      case 'u': {
        const hex = src.slice(this.i, this.i + 4);
        if (hex.length !== 4 || !HEX.test(hex)) throw new Unsupported('bad \\u escape');
        this.i += 4;
        return '\\u' + hex;
      }
      case '0': {
        const m = /[0-3][0-7]{0,2}|[0-7]{1,2}/y;
        m.lastIndex = this.i;
        const oct = m.exec(src);
        if (oct === null) throw new Unsupported('bad octal escape');
        this.i = m.lastIndex;
        return `\\u{${Number.parseInt(oct[0], 8).toString(16)}}`;
      }
      case 'c': {
        const letter = src.charAt(this.i);
        if (!/^[a-zA-Z]$/.test(letter)) throw new Unsupported('\\c escape');
        this.i++;
        return '\\c' + letter;
      }
      default:
        return undefined;
    }
  }

  private property(c: 'p' | 'P'): string {
    const src = this.src;
    let name: string;
    if (src.charAt(this.i) === '{') {
      const end = src.indexOf('}', this.i);
      if (end < 0) throw new Unsupported('unclosed \\p{');
      name = src.slice(this.i + 1, end);
      this.i = end + 1;
    } else {
      name = src.charAt(this.i);
      this.i++;
    }
    const bare = name.replace(/^(?:Is|gc=|general_category=)/, '');
    if (!GENERAL_CATEGORIES.has(bare)) throw new Unsupported(`property \\${c}{${name}}`);
    return `\\${c}{${bare}}`;
  }

  /** Reads the escaped character after a backslash (skipping the backslash), whole code point. */
  private escapedChar(): string {
    const cp = this.src.codePointAt(this.i);
    if (cp === undefined) throw new Unsupported('trailing backslash');
    const ch = String.fromCodePoint(cp);
    this.i += ch.length;
    return ch;
  }

  private escapeOutside(): string {
    this.i++; // backslash
    const c = this.escapedChar();
    const single = this.singleCharEscape(c);
    if (single !== undefined) return single;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return '\\' + c;
      case 's':
        return `[${JAVA_WS}]`;
      case 'S':
        return `[^${JAVA_WS}]`;
      case 'p':
      case 'P':
        return this.property(c);
      case 'A':
        return '(?<![^])';
      case 'z':
        return '(?![^])';
      case 'Q': {
        const end = this.src.indexOf('\\E', this.i);
        const literal = end < 0 ? this.src.slice(this.i) : this.src.slice(this.i, end);
        this.i = end < 0 ? this.src.length : end + 2;
        let out = '';
        for (const ch of literal) out += SYNTAX_CHARS.includes(ch) ? '\\' + ch : ch;
        return out;
      }
      case 'k': {
        const re = /<([a-zA-Z][a-zA-Z0-9]*)>/y;
        re.lastIndex = this.i;
        const m = re.exec(this.src);
        if (m === null) throw new Unsupported('malformed \\k<name>');
        this.i = re.lastIndex;
        return '\\k' + m[0];
      }
      default:
        if (c >= '1' && c <= '9') return '\\' + c; // back reference
        if (/^[a-zA-Z0-9]$/.test(c)) throw new Unsupported(`escape \\${c}`); // \b \B \G \Z \R \h \v \X ...
        return SYNTAX_CHARS.includes(c) ? '\\' + c : c;
    }
  }

  private classAtom(): ClassAtom {
    const src = this.src;
    if (src.charAt(this.i) !== '\\') {
      const cp = src.codePointAt(this.i) ?? 0;
      const ch = String.fromCodePoint(cp);
      this.i += ch.length;
      return { text: CLASS_SPECIAL.includes(ch) ? '\\' + ch : ch, single: true };
    }
    this.i++;
    const c = this.escapedChar();
    const single = this.singleCharEscape(c);
    if (single !== undefined) return { text: single, single: true };
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return { text: '\\' + c, single: false };
      case 's':
        return { text: JAVA_WS, single: false };
      case 'S':
        return { text: '', single: false, notJavaSpace: true };
      case 'p':
      case 'P':
        return { text: this.property(c), single: false };
      default:
        if (/^[a-zA-Z0-9]$/.test(c)) throw new Unsupported(`escape \\${c} in class`);
        return { text: CLASS_SPECIAL.includes(c) ? '\\' + c : c, single: true };
    }
  }

  private charClass(): string {
    const src = this.src;
    this.i++; // [
    let negated = false;
    if (src.charAt(this.i) === '^') {
      negated = true;
      this.i++;
    }
    if (src.charAt(this.i) === ']') throw new Unsupported('class starting with ]');
    let body = '';
    let notJavaSpace = false;
    for (;;) {
      if (this.i >= src.length) throw new Unsupported('unclosed character class');
      const c = src.charAt(this.i);
      if (c === ']') {
        this.i++;
        break;
      }
      if (c === '[') throw new Unsupported('nested character class');
      if (c === '&' && src.charAt(this.i + 1) === '&') throw new Unsupported('class intersection');
      const atom = this.classAtom();
      if (atom.notJavaSpace === true) {
        notJavaSpace = true;
        continue;
      }
      if (src.charAt(this.i) === '-' && src.charAt(this.i + 1) !== ']' && this.i + 1 < src.length) {
        this.i++; // -
        if (src.charAt(this.i) === '[') throw new Unsupported('nested character class');
        const to = this.classAtom();
        if (!atom.single || !to.single) throw new Unsupported('range with a class escape');
        body += `${atom.text}-${to.text}`;
      } else {
        body += atom.text;
      }
    }
    if (!notJavaSpace) return `[${negated ? '^' : ''}${body}]`;
    // Java `\S` = anything but the six ASCII whitespace characters.
    if (!negated) return body === '' ? `[^${JAVA_WS}]` : `(?:[${body}]|[^${JAVA_WS}])`;
    return body === '' ? `[${JAVA_WS}]` : `(?:(?![${body}])[${JAVA_WS}])`;
  }
}

/** Translates a Java (`java.util.regex`) pattern into JavaScript `u`-mode RegExp source. */
export function translateJavaRegex(pattern: string): PatternTranslation {
  try {
    return { ok: true, ...new JavaRegexTranslator(pattern).run() };
  } catch (err) {
    if (err instanceof Unsupported) return { ok: false, reason: err.message };
    throw err;
  }
}

/**
 * Compiles a model pattern into a RegExp with Java `Matcher.matches()` semantics (the whole value must match).
 * Returns the reason instead when the pattern cannot be represented faithfully in JavaScript.
 */
export function compileJavaPattern(pattern: string): { regex: RegExp } | { reason: string } {
  const t = translateJavaRegex(pattern);
  if (!t.ok) return { reason: t.reason };
  const source = t.multiline ? `(?<![^])(?:${t.source})(?![^])` : `^(?:${t.source})$`;
  try {
    return { regex: new RegExp(source, 'u' + t.flags) };
  } catch (err) {
    return { reason: `not a valid JavaScript RegExp: ${err instanceof Error ? err.message : String(err)}` };
  }
}
