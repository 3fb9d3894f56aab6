// The chart widgets' front end: a few hundred bytes per chart that load one shared chart library per page.
//
// The library (vega, vega-lite, vega-embed and altair's own chart code, about 900 KB, bundled offline by
// vl-convert) travels once, in the state of one ChartLibrary widget whose model id is LIBRARY_ID; every chart
// imports it from there. Before, each chart carried the whole bundle in its own `_esm`: 900 KB more of widget
// state per chart, parsed again per chart, and slow enough on a busy laptop to miss anywidget's 2 s
// initialisation deadline ("[anywidget] Failed to initialize model"). Python fills in the three constants
// and the default export (labs/_offline.py).

const LIBRARY_ID = "__LIBRARY_ID__";
const LIBRARY_KEY = "__LIBRARY_KEY__"; // hash of the library source: one import per page, whichever kernel sent it

/** LabChart's records arrive as one binary buffer of JSON text (a DataView). */
function decodeRecords(value) {
  if (value instanceof DataView || value instanceof ArrayBuffer) {
    return JSON.parse(new TextDecoder().decode(value));
  }
  return structuredClone(value ?? []);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function libraryModel(manager) {
  // Voila and JupyterLab register every model before any view renders; wait a little in case one does not
  for (let waited = 0; waited < 15000; waited += 50) {
    try {
      const model = await manager.get_model(LIBRARY_ID);
      if (model) return model;
    } catch {
      // not registered yet
    }
    await sleep(50);
  }
  throw new Error(`chart library ${LIBRARY_ID} not found`);
}

async function importLibrary(model) {
  const library = await libraryModel(model.widget_manager);
  const url = URL.createObjectURL(new Blob([library.get("source")], { type: "text/javascript" }));
  try {
    const library = await import(/* webpackIgnore: true */ url);
    performance.mark("communitylab:library");
    return library;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The shared library module ({default: {render}, vegaEmbed}), imported once per page. */
function chartLibrary(model) {
  const loaded = (globalThis.__communitylabCharts ??= new Map());
  if (!loaded.has(LIBRARY_KEY)) {
    const loading = importLibrary(model);
    loading.catch(() => loaded.delete(LIBRARY_KEY)); // let the next chart try again
    loaded.set(LIBRARY_KEY, loading);
  }
  return loaded.get(LIBRARY_KEY);
}

/** A plain altair chart (alt.JupyterChart): altair's own front end, taken from the shared library. */
const altairChart = {
  initialize({ model }) {
    chartLibrary(model); // start loading now, without holding up the model's initialisation
  },
  async render(context) {
    const library = await chartLibrary(context.model);
    return library.default.render(context);
  },
};

/**
 * A lab chart (LabChart): `template` is a Vega-Lite spec reading the dataset `data_name`; `records` are its rows.
 * A new template is embedded again; new records only replace the dataset in the running view, which is what
 * a slider move sends: no Vega-Lite compile, no new view, no state sent back to the kernel.
 */
const labChart = {
  initialize({ model }) {
    chartLibrary(model);
  },
  render({ model, el }) {
    let api = null;
    let templateChanged = true;
    let recordsChanged = false;
    let drawing = null;
    let removed = false;

    async function draw() {
      const library = await chartLibrary(model);
      while (!removed && (templateChanged || recordsChanged)) {
        const name = model.get("data_name");
        const records = decodeRecords(model.get("records"));
        if (templateChanged || api === null) {
          templateChanged = recordsChanged = false;
          const spec = { ...structuredClone(model.get("template")), datasets: { [name]: records } };
          api?.finalize();
          api = await library.vegaEmbed(el, spec, structuredClone(model.get("embed_options")) ?? {});
        } else {
          recordsChanged = false;
          await api.view.data(name, records).runAsync();
        }
        performance.mark("communitylab:drawn"); // benchmarks/bench_ui.py splits a slider move's time here
      }
    }

    function schedule() {
      // changes that arrive while a frame is drawn are drawn together in the next one
      drawing ??= draw()
        .catch((error) => {
          el.innerHTML = `<div style="color:red">Chart error: ${error.message}</div>`;
          console.error(error);
        })
        .finally(() => {
          drawing = null;
          if (templateChanged || recordsChanged) schedule();
        });
      return drawing;
    }

    model.on("change:template", () => {
      templateChanged = true;
      schedule();
    });
    model.on("change:embed_options", () => {
      templateChanged = true;
      schedule();
    });
    model.on("change:records", () => {
      performance.mark("communitylab:records");
      recordsChanged = true;
      schedule();
    });
    schedule();
    return () => {
      removed = true;
      api?.finalize();
    };
  },
};

export default __DEFAULT_EXPORT__;
