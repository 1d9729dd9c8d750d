// A query and candidates → ranked by cosine; and a heatmap of every pair, from the embeddings.
import { callJson, renderBars, setStatus } from './api.js';

const maxTexts = 32;

export function startText() {
  const form = document.getElementById('text-form');
  const query = document.getElementById('text-query');
  const candidates = document.getElementById('text-candidates');
  const status = document.getElementById('text-status');
  const list = document.getElementById('text-results');
  const heatmap = document.getElementById('text-heatmap');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const texts = candidates.value.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
    if (!query.value.trim() || texts.length === 0) {
      setStatus(status, 'Type a query and at least one candidate.', true);
      return;
    }

    setStatus(status, 'Ranking…');
    const json = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const ranked = await callJson('/v1/text/similarity', json({ query: query.value, candidates: texts }));
    if (!ranked.ok) {
      list.replaceChildren();
      heatmap.hidden = true;
      setStatus(status, `${ranked.status}: ${ranked.message}`, true);
      return;
    }

    setStatus(status, `Most similar first (${ranked.body.model}):`);
    renderBars(list, ranked.body.results.map((r) => ({ label: `${r.index + 1}. ${r.text}`, value: r.cosine })), { min: -1 });

    const all = [query.value, ...texts];
    if (texts.length < 2 || all.length > maxTexts) {
      heatmap.hidden = true;
      return;
    }

    const embedded = await callJson('/v1/text/embeddings', json({ texts: all }));
    if (!embedded.ok) {
      heatmap.hidden = true;
      setStatus(status, `Heatmap: ${embedded.status}: ${embedded.message}`, true);
      return;
    }

    renderHeatmap(heatmap, all, embedded.body.data.map((d) => d.embedding));
  });
}

function cosine(a, b) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }

  return dot / Math.sqrt(na * nb);
}

function renderHeatmap(table, texts, vectors) {
  const names = texts.map((_, i) => (i === 0 ? 'Q' : String(i)));
  const header = document.createElement('tr');
  header.append(document.createElement('td'));
  names.forEach((name, i) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name;
    th.title = texts[i];
    header.append(th);
  });
  table.tHead.replaceChildren(header);

  table.tBodies[0].replaceChildren(...vectors.map((row, i) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = names[i];
    th.title = texts[i];
    tr.append(th);
    for (const column of vectors) {
      const value = cosine(row, column);
      const td = document.createElement('td');
      td.textContent = value.toFixed(2);
      // Blue for similar, red for opposite, white around 0.
      const strength = Math.min(1, Math.abs(value));
      td.style.backgroundColor = value >= 0 ? `rgba(31, 119, 180, ${strength})` : `rgba(214, 39, 40, ${strength})`;
      td.style.color = strength > 0.55 ? '#fff' : '#1b1f24';
      tr.append(td);
    }

    return tr;
  }));
  table.hidden = false;
}
