import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => cleanup());

// waitFor/findBy give up after 1 s by default: on a 2-core machine running the rest of the
// suite, rendering the editor alone can take longer, and a test failed for being slow, not
// wrong. The waits stay bounded; nothing here asserts a duration.
configure({ asyncUtilTimeout: 15_000 });

// jsdom lacks the layout APIs React Flow measures with.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
if (!("DOMMatrixReadOnly" in globalThis)) {
  class DOMMatrixReadOnlyStub {
    m22 = 1;
    constructor(_transform?: string) {}
  }
  (globalThis as Record<string, unknown>).DOMMatrixReadOnly = DOMMatrixReadOnlyStub;
}
// jsdom has no SVG layout: React Flow measures an edge label's text with getBBox.
if (typeof SVGElement !== "undefined" && !("getBBox" in SVGElement.prototype)) {
  (SVGElement.prototype as unknown as { getBBox: () => DOMRect }).getBBox = () => ({ x: 0, y: 0, width: 30, height: 14 }) as DOMRect;
}
// jsdom lays nothing out; give elements a size so the canvas viewport maths stays finite.
Object.defineProperties(HTMLElement.prototype, {
  offsetWidth: { configurable: true, get: () => 1000 },
  offsetHeight: { configurable: true, get: () => 700 },
});

// d3-zoom's animated transitions (setCenter with a duration) interpolate through NaN
// without a layout engine; only the dotted background's attributes notice. jsdom-only noise.
const consoleError = console.error;
console.error = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].startsWith("Received NaN for the `%s` attribute")) return;
  consoleError(...args);
};
