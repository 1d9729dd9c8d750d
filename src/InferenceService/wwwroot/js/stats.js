// The live panel: the service's own statistics (Triton's model_stats), polled; rates are differences between polls.
import { callJson, setStatus } from './api.js';

const intervalMs = 2000;

export function startLiveStats() {
  const body = document.querySelector('#live-table tbody');
  const status = document.getElementById('live-status');
  document.getElementById('live-interval').textContent = String(intervalMs / 1000);
  const maxBatch = new Map();
  let previous = new Map();
  let previousAt = 0;

  const poll = async () => {
    if (document.hidden) {
      // Nothing to show; the next visible poll's rates cover the whole gap.
      setTimeout(poll, intervalMs);
      return;
    }

    const result = await callJson('/v2/models/stats');
    const now = performance.now();
    if (!result.ok) {
      setStatus(status, `Statistics unavailable: ${result.message}`, true);
    } else {
      const current = new Map(result.body.model_stats.map((s) => [`${s.name}/${s.version}`, s]));
      await Promise.all([...current.values()].filter((s) => !maxBatch.has(s.name)).map(async (s) => {
        const metadata = await callJson(`/v2/models/${encodeURIComponent(s.name)}`);
        maxBatch.set(s.name, metadata.ok ? metadata.body.parameters?.max_batch_size ?? null : null);
      }));
      const seconds = (now - previousAt) / 1000;
      body.replaceChildren(...[...current.entries()].map(([key, s]) => row(key, s, previous.get(key), seconds, maxBatch.get(s.name))));
      setStatus(status, current.size === 0
        ? 'No model is loaded.'
        : `${current.size} model version(s), updated ${new Date().toLocaleTimeString()}.`);
      previous = current;
      previousAt = now;
    }

    setTimeout(poll, intervalMs);
  };

  poll();
  startBurst();
}

/** Many small requests at once: the live panel then shows batches larger than 1 and time spent queued. */
function startBurst() {
  const form = document.getElementById('burst-form');
  const count = document.getElementById('burst-count');
  const status = document.getElementById('burst-status');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const n = Number(count.value);
    setStatus(status, `Sending ${n} requests…`);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: n }, (_, i) => callJson('/v1/text/embeddings', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ texts: [`Sentence number ${i} of a burst of ${n}.`] }),
    })));
    const seconds = (performance.now() - started) / 1000;
    const failed = results.filter((r) => !r.ok);
    setStatus(status, `${n - failed.length} of ${n} answered in ${seconds.toFixed(2)} s (${((n - failed.length) / seconds).toFixed(1)}/s)`
      + (failed.length ? `; first failure: ${failed[0].status}: ${failed[0].message}` : '.'), failed.length > 0);
  });
}

function row(key, s, before, seconds, configuredMax) {
  const stats = s.inference_stats;
  const requests = stats.success.count + stats.fail.count;
  const largest = s.batch_stats.reduce((max, b) => Math.max(max, b.batch_size), 0);
  const cells = [key];
  if (before) {
    const was = before.inference_stats;
    const executions = s.execution_count - before.execution_count;
    const queued = stats.queue.count - was.queue.count;
    const computed = stats.compute_infer.count - was.compute_infer.count;
    cells.push(
      rate(requests - (was.success.count + was.fail.count), seconds),
      rate(s.inference_count - before.inference_count, seconds),
      rate(executions, seconds),
      executions > 0 ? ((s.inference_count - before.inference_count) / executions).toFixed(1) : '–',
    );
    cells.push(
      batchLimit(largest, configuredMax),
      queued > 0 ? ((stats.queue.ns - was.queue.ns) / queued / 1e6).toFixed(2) : '–',
      ((stats.queue.ns - was.queue.ns) / (seconds * 1e9)).toFixed(2),
      computed > 0 ? ((stats.compute_infer.ns - was.compute_infer.ns) / computed / 1e6).toFixed(1) : '–',
    );
  } else {
    cells.push('–', '–', '–', '–', batchLimit(largest, configuredMax), '–', '–', '–');
  }

  cells.push(String(stats.success.count), String(stats.fail.count));
  const tr = document.createElement('tr');
  tr.dataset.model = s.name;
  cells.forEach((text, i) => {
    const cell = document.createElement(i === 0 ? 'th' : 'td');
    if (i === 0) {
      cell.scope = 'row';
    }

    cell.textContent = text;
    tr.append(cell);
  });
  return tr;
}

function rate(count, seconds) {
  return (count / seconds).toFixed(1);
}

/** The largest batch run so far, out of the configured max_batch_size (0: the model does not batch). */
function batchLimit(largest, configuredMax) {
  return configuredMax ? `${largest} / ${configuredMax}` : String(largest);
}
