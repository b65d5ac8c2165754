// /docs: the OpenAPI document as one self-contained HTML page (no CDN: a self-hosted install may
// have no internet). Operations grouped by tag, with their access, parameters and schemas.
interface Operation {
  tags: string[];
  summary: string;
  description: string;
  parameters: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

interface Document {
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, object>>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const schemaBlock = (label: string, schema: unknown) =>
  `<details><summary>${escapeHtml(label)}</summary><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></details>`;

function operationHtml(method: string, path: string, op: Operation): string {
  const params = op.parameters
    .map((p) => `<li><code>${escapeHtml(p.name)}</code> (${p.in}${p.required ? ', required' : ''})</li>`)
    .join('');
  const bodies = Object.entries(op.requestBody?.content ?? {})
    .map(([type, { schema }]) => schemaBlock(`Request body: ${type}`, schema))
    .join('');
  const responses = Object.entries(op.responses)
    .map(([status, r]) => {
      const content = Object.entries(r.content ?? {})
        .map(([type, { schema }]) => schemaBlock(type, schema))
        .join('');
      return `<li><b>${escapeHtml(status)}</b> ${escapeHtml(r.description)}${content}</li>`;
    })
    .join('');
  return `<section><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary)}</p><p class="d">${escapeHtml(op.description).replace(/\n\n/g, '<br>')}</p>
${params ? `<ul>${params}</ul>` : ''}${bodies}<ul>${responses}</ul></section>`;
}

export function docsPage(document: Document): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods) as [string, Operation][]) {
      const tag = op.tags[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, path, op)]);
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('')}`);
  const toc = [...byTag.keys()].map((tag) => `<a href="#${escapeHtml(tag)}">${escapeHtml(tag)}</a>`).join(' · ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(document.info.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
section{border-top:1px solid #ddd;padding:.5rem 0}.m{font:bold 12px monospace;padding:2px 6px;border-radius:4px;color:#fff;background:#555}
.get{background:#2b7a3d}.post{background:#1f5fa8}.patch,.put{background:#a86a1f}.delete{background:#a8321f}
.d{color:#555}pre{background:#f5f5f7;padding:.5rem;overflow:auto;font-size:12px}</style></head><body>
<h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>
<p>${escapeHtml(document.info.description)} The machine-readable document: <a href="/openapi.json">/openapi.json</a>.</p>
<nav>${toc}</nav>${sections.join('')}</body></html>`;
}
