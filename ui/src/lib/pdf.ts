// pdf.js, loaded only when a PDF is opened (its own chunk), with the worker bundled by
// Vite as a same-origin file: no CDN, no eval.

export interface PdfDoc {
  pages: number;
  render(
    page: number,
    canvas: HTMLCanvasElement,
    width: number,
    onTask: (t: { cancel: () => void }) => void,
  ): Promise<void>;
  destroy(): Promise<void>;
}

export async function loadPdf(url: string): Promise<PdfDoc> {
  const [pdfjs, worker] = await Promise.all([
    import("pdfjs-dist/legacy/build/pdf.mjs"),
    import("pdfjs-dist/legacy/build/pdf.worker.min.mjs?url"),
  ]);
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`the file could not be read (${res.status})`);
  const data = new Uint8Array(await res.arrayBuffer());
  const doc = await pdfjs.getDocument({ data, isEvalSupported: false, enableXfa: false }).promise;
  return {
    pages: doc.numPages,
    async render(n, canvas, width, onTask) {
      const page = await doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const ratio = window.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: (width / base.width) * ratio });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
      canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
      const task = page.render({ canvas, viewport });
      onTask(task);
      await task.promise;
    },
    destroy: () => doc.destroy(),
  };
}
