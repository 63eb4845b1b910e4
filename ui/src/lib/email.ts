// The document an email's sanitized HTML is shown in. The frame that holds it has
// `sandbox=""` (no scripts, opaque origin); this CSP is a second lock: nothing may load
// except inline styles and data: images, so tracking pixels and remote fonts stay out.

export const EMAIL_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

export function emailSrcdoc(body: string): string {
  return (
    `<!doctype html><html><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${EMAIL_CSP}">` +
    `<base target="_blank">` +
    `<style>body{font-family:system-ui,sans-serif;font-size:14px;margin:12px;color:#1b2330;background:#fff;` +
    `overflow-wrap:anywhere}img{max-width:100%;height:auto}</style>` +
    `</head><body>${body}</body></html>`
  );
}
