import ts from 'typescript';

/**
 * Vite/rolldown plugin: strips the indentation and other insignificant whitespace from the static parts of
 * Lit's `html`, `svg` and `css` tagged templates in the library's own sources (the JS minifier keeps template
 * text as written). Every newline is kept, so line numbers and source maps stay right; whitespace between
 * tags and words stays (a run of it becomes one newline, which HTML and CSS treat like a space).
 * Used by vite.config.ts, vite.cdn.config.ts and bench/weight.mjs.
 */
export function minifyTemplateLiterals() {
  return {
    name: 'faceswap:minify-template-literals',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id.split('?')[0]) || !/\b(html|svg|css)`/.test(code)) return null;
      const out = minifySource(code, id);
      return out === code ? null : { code: out, map: null };
    },
  };
}

const MINIFIERS = { html: minifyMarkup, svg: minifyMarkup, css: minifyCss };

/** The source with every `html`/`svg`/`css` template's literal text minified. */
export function minifySource(code, fileName = 'module.ts') {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && Object.hasOwn(MINIFIERS, node.tag.text)) {
      const minify = MINIFIERS[node.tag.text];
      const template = node.template;
      const parts = ts.isNoSubstitutionTemplateLiteral(template) ? [template] : [template.head, ...template.templateSpans.map((span) => span.literal)];
      for (const part of parts) {
        // Each part's token is delimited by ` or } at the start and ` or ${ at the end.
        const start = part.getStart(source) + 1;
        const end = part.getEnd() - (part.kind === ts.SyntaxKind.TemplateHead || part.kind === ts.SyntaxKind.TemplateMiddle ? 2 : 1);
        const text = code.slice(start, end);
        const minified = minify(text);
        if (minified !== text) edits.push({ start, end, minified });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = code;
  for (const { start, end, minified } of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, start) + minified + out.slice(end);
  return out;
}

/** A whitespace run that spans lines becomes its newlines alone. */
function keepNewlines(run) {
  return run.includes('\n') ? run.replace(/[^\n]/g, '') : run;
}

function minifyMarkup(text) {
  return text.replace(/\s+/g, keepNewlines);
}

/** Outside quoted strings: comments go, whitespace around `{ } ; : ,` goes, other runs as in markup. */
function minifyCss(text) {
  return text
    .split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/)
    .map((piece, index) => {
      if (index % 2 === 1) return piece;
      return piece
        .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ''))
        .replace(/\s*([{};,])\s*/g, (match, punctuation) => punctuation + match.replace(/[^\n]/g, ''))
        .replace(/:\s+/g, (match) => ':' + match.replace(/[^\n]/g, ''))
        .replace(/\s+/g, keepNewlines);
    })
    .join('');
}
