"""How fast the editor opens and pans big workflows, in headless Chromium.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flowbuilder_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/editor_load.py [--sizes 50,200,500] [--repeat 2]

Prints figures; no pass/fail. Collects static files into a temporary var dir (so the committed
bundle under static/editor/ is what is measured), starts one daphne, creates a chain of N
data.set nodes (laid out on a grid) per size through POST /api/v1/workflows with an API key,
logs a user in, then for each size opens /workflows/{id}/edit and reports:

- first node visible: navigation start to the first frame where a node is drawn (React Flow
  keeps nodes hidden until they are measured); checked on every animation frame in the page;
- all nodes visible: the same for every node of the flow;
- panning: frames drawn while the mouse drags the canvas for ~2 s (fps), and the longest gap
  between two frames;
- work per pan step (one mouse move, one viewport transform), to compare builds on a busy machine
  where fps alone is noise: React commits, components rendered, node cards rendered (counted by a
  stand-in React DevTools hook), style recalculations and layouts (CDP Performance.getMetrics),
  and the main thread's busy time per frame;
- with --trace, a second pan under a Chromium trace: milliseconds per pan step spent layerizing
  (PaintArtifactCompositor::Update), hit-testing mouse moves, and rasterizing tiles.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import httpx
from support import ROOT, configure, free_port, make_org_and_key, start_daphne

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
EMAIL = "bench-editor@flowbuilder.local"
PASSWORD = "bench editor password"
COLUMNS = 10

# Runs in the page before its scripts: notes when the first node and every node are drawn.
FRAME_PROBE = """
(() => {
  window.__bench = { first: null, all: null };
  const tick = () => {
    const nodes = document.querySelectorAll('.react-flow__node');
    if (nodes.length) {
      let shown = 0;
      for (const node of nodes) if (node.style.visibility !== 'hidden') shown++;
      const want = Number(window.__benchExpect || 0);
      if (shown && window.__bench.first === null) window.__bench.first = performance.now();
      if (want && shown >= want && window.__bench.all === null) window.__bench.all = performance.now();
    }
    if (window.__bench.all === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""

# Counts React commits and the components they rendered (a fiber that performed work), walking
# only the subtrees that did work; node cards are the components React Flow hands NodeProps.
REACT_PROBE = """
(() => {
  const stats = { commits: 0, rendered: 0, cards: 0, counting: false };
  window.__react = stats;
  const PERFORMED_WORK = 1, COMPONENT_TAGS = new Set([0, 1, 11, 14, 15]);
  const visit = (root) => {
    const stack = [root];
    while (stack.length) {
      const fiber = stack.pop();
      if ((fiber.flags & PERFORMED_WORK) && COMPONENT_TAGS.has(fiber.tag)) {
        stats.rendered++;
        const props = fiber.memoizedProps;
        if (props && typeof props === 'object' && 'positionAbsoluteX' in props) stats.cards++;
      }
      if (fiber.subtreeFlags & PERFORMED_WORK) for (let c = fiber.child; c; c = c.sibling) stack.push(c);
    }
  };
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true, renderers: new Map(), inject() { return 1; },
    onCommitFiberRoot(_id, root) { if (stats.counting) { stats.commits++; visit(root.current); } },
    onCommitFiberUnmount() {}, onPostCommitFiberRoot() {}, onScheduleFiberRoot() {}, checkDCE() {},
  };
})();
"""

PAN_STEPS = 120
METRICS = ("RecalcStyleCount", "LayoutCount", "TaskDuration")
TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "cc"]
TRACED = {"PaintArtifactCompositor::Update": "layerize", "HitTest": "hit test", "RasterTask": "raster"}

PAN_PROBE = """
() => {
  window.__frames = [];
  window.__panning = true;
  const tick = (t) => { window.__frames.push(t); if (window.__panning) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}
"""

PAN_RESULT = """
() => {
  window.__panning = false;
  const f = window.__frames;
  let gap = 0;
  for (let i = 1; i < f.length; i++) gap = Math.max(gap, f[i] - f[i - 1]);
  return { frames: f.length, span: f[f.length - 1] - f[0], gap };
}
"""

# A point on the empty pane (not on a node) near the middle of the canvas, to drag from.
EMPTY_SPOT = """
() => {
  const box = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
  for (let dy = 0; dy < box.height / 2; dy += 7) {
    for (const sy of [1, -1]) {
      for (let dx = 0; dx < box.width / 3; dx += 7) {
        for (const sx of [1, -1]) {
          const x = box.left + box.width / 2 + sx * dx, y = box.top + box.height / 2 + sy * dy;
          const hit = document.elementFromPoint(x, y);
          if (hit && hit.classList.contains('react-flow__pane')) return { x, y };
        }
      }
    }
  }
  return null;
}
"""


def chain(count: int) -> dict:
    """manual → n001 → … → n<count-1>, on a grid of COLUMNS columns."""
    nodes, edges = [], []
    for index in range(count):
        node_id = "start" if index == 0 else f"n{index:03d}"
        node_type = "trigger.manual" if index == 0 else "data.set"
        config = {} if index == 0 else {"fields": {"n": index}}
        position = {"x": 300 * (index % COLUMNS), "y": 160 * (index // COLUMNS)}
        name = f"Step {index}"
        nodes.append({"id": node_id, "type": node_type, "name": name, "config": config, "position": position})
        if index:
            source = "start" if index == 1 else f"n{index - 1:03d}"
            edges.append({"id": f"e{index}", "source": source, "source_port": "out", "target": node_id})
    return {"nodes": nodes, "edges": edges}


def prepare(base_url: str, sizes: list[int]) -> dict[int, str]:
    from accounts import services
    from accounts.models import Role
    from workflows.models import Workflow

    organization, key = make_org_and_key("Bench editor")
    Workflow.objects.filter(project__organization=organization, name__startswith="Editor load ").delete()
    services.add_member(organization, email=EMAIL, password=PASSWORD, role=Role.ADMIN)
    ids = {}
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=120) as client:
        for size in sizes:
            answer = client.post("/api/v1/workflows", json={"name": f"Editor load {size}", "definition": chain(size)})
            answer.raise_for_status()
            ids[size] = answer.json()["data"]["id"]
    return ids


def performance_metrics(cdp) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def pan(page, spot: dict) -> dict:
    """Drags the pane back and forth for PAN_STEPS mouse moves; frames seen meanwhile."""
    page.mouse.move(spot["x"], spot["y"])
    page.mouse.down()
    page.evaluate(PAN_PROBE)
    for step in range(PAN_STEPS):
        offset = (step % 40) * 6 - 120
        page.mouse.move(spot["x"] + offset, spot["y"] + offset / 2)
        page.wait_for_timeout(16)
    result = page.evaluate(PAN_RESULT)
    page.mouse.up()
    return result


def traced_pan(browser, page) -> dict[str, float]:
    """Milliseconds per pan step in the trace's layerize, hit-test and raster events."""
    import json

    spot = page.evaluate(EMPTY_SPOT)
    if not spot:
        return {}
    browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    pan(page, spot)
    events = json.loads(browser.stop_tracing())["traceEvents"]
    totals = dict.fromkeys(TRACED.values(), 0.0)
    for event in events:
        if event.get("name") in TRACED and "dur" in event:
            totals[TRACED[event["name"]]] += event["dur"] / 1000
    return {name: total / PAN_STEPS for name, total in totals.items()}


def measure(page, base_url: str, workflow_id: str, size: int, browser=None) -> dict:
    page.add_init_script(f"window.__benchExpect = {size};")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(f"{base_url}/workflows/{workflow_id}/edit")
    page.wait_for_function("window.__bench && window.__bench.all !== null", timeout=300_000, polling=500)
    loaded = page.evaluate("window.__bench")
    page.wait_for_timeout(1000)  # let the initial fitView settle before panning
    spot = page.evaluate(EMPTY_SPOT)
    pan_result = {"frames": 0, "span": 0, "gap": 0}
    work = {}
    if spot:
        page.evaluate("window.__react && (window.__react.counting = true)")
        before = performance_metrics(cdp)
        pan_result = pan(page, spot)
        after = performance_metrics(cdp)
        react = page.evaluate("window.__react || {}")
        frames = max(pan_result["frames"], 1)
        work = {
            "commits": react.get("commits", 0) / PAN_STEPS,
            "rendered": react.get("rendered", 0) / PAN_STEPS,
            "cards": react.get("cards", 0) / PAN_STEPS,
            "styles": (after["RecalcStyleCount"] - before["RecalcStyleCount"]) / PAN_STEPS,
            "layouts": (after["LayoutCount"] - before["LayoutCount"]) / PAN_STEPS,
            "busy": 1000 * (after["TaskDuration"] - before["TaskDuration"]) / frames,
        }
        if browser is not None:
            page.evaluate("window.__react && (window.__react.counting = false)")
            work.update(traced_pan(browser, page))
    fps = 1000 * (pan_result["frames"] - 1) / pan_result["span"] if pan_result["span"] else 0.0
    return {"first": loaded["first"], "all": loaded["all"], "fps": fps, "gap": pan_result["gap"], **work}


WORK_NAMES = {
    "commits": "React commits", "rendered": "components", "cards": "node cards", "styles": "style recalcs",
    "layouts": "layouts", "layerize": "layerize ms", "hit test": "hit test ms", "raster": "raster ms",
}  # fmt: skip


def print_work(rows: list[tuple[int, dict]], columns: list[str]) -> None:
    print("\nwork per pan step (one mouse move); busy = main-thread ms per frame while panning")
    print(f"{'nodes':>6} " + " ".join(f"{WORK_NAMES[key]:>13}" for key in columns) + f" {'busy ms/frame':>13}")
    for size, row in rows:
        print(f"{size:>6} " + " ".join(f"{row[key]:>13.2f}" for key in columns) + f" {row['busy']:>13.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--repeat", type=int, default=2, help="page loads per size (the median is printed)")
    parser.add_argument("--trace", action="store_true", help="trace one more pan per load")
    parser.add_argument("--port", type=int, default=0, help="the web server's port (default: any free one)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    var_dir = tempfile.mkdtemp(prefix="flowbuilder-bench-editor-")
    os.environ["FLOWBUILDER_VAR_DIR"] = var_dir
    configure()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=dict(os.environ),
        check=True,
    )
    from playwright.sync_api import sync_playwright

    port = args.port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    web = start_daphne(port)
    try:
        ids = prepare(base_url, sizes)
        print("$ " + " ".join([".venv/bin/python", "bench/editor_load.py", *sys.argv[1:]]))
        columns = ("first node visible", "all nodes visible", "panning fps", "longest frame gap")
        print(f"{'nodes':>6} " + " ".join(f"{column:>18}" for column in columns))
        work_columns = [*WORK_NAMES][:5] + (list(TRACED.values()) if args.trace else [])
        work_rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            login = context.new_page()
            login.goto(f"{base_url}/login/")
            login.get_by_label("Email").fill(EMAIL)
            login.get_by_label("Password").fill(PASSWORD)
            login.get_by_role("button", name="Log in").click()
            login.wait_for_url(f"{base_url}/")
            login.close()
            # One unmeasured load first: a cold server and browser cache are not the editor's cost.
            warm = context.new_page()
            warm.add_init_script(FRAME_PROBE)
            measure(warm, base_url, ids[sizes[0]], sizes[0])
            warm.close()
            for size in sizes:
                runs = []
                for _ in range(args.repeat):
                    page = context.new_page()
                    page.add_init_script(FRAME_PROBE)
                    page.add_init_script(REACT_PROBE)
                    runs.append(measure(page, base_url, ids[size], size, browser if args.trace else None))
                    page.close()
                first = statistics.median(r["first"] for r in runs) / 1000
                every = statistics.median(r["all"] for r in runs) / 1000
                fps = statistics.median(r["fps"] for r in runs)
                gap = statistics.median(r["gap"] for r in runs)
                print(f"{size:>6} {first:>16.2f} s {every:>16.2f} s {fps:>18.1f} {gap:>15.0f} ms", flush=True)
                if "busy" in runs[0]:
                    row = {key: statistics.median(r[key] for r in runs) for key in [*work_columns, "busy"]}
                    work_rows.append((size, row))
            browser.close()
        print_work(work_rows, work_columns)
    finally:
        web.stop()


if __name__ == "__main__":
    main()
