// A user → the recommender's top items.
import { callJson, failureMessage, renderBars, setStatus } from './api.js';

const howToGet = 'Train and publish it with the training module (models/recommender), or type the name of another recommender.';

export function startRecommendations() {
  const form = document.getElementById('recommend-form');
  const model = document.getElementById('recommend-model');
  const user = document.getElementById('recommend-user');
  const k = document.getElementById('recommend-k');
  const fallback = document.getElementById('recommend-fallback');
  const status = document.getElementById('recommend-status');
  const list = document.getElementById('recommend-items');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = model.value.trim();
    const query = new URLSearchParams({ k: k.value });
    if (fallback.checked) {
      query.set('fallback', 'popular');
    }

    setStatus(status, 'Asking…');
    const url = `/v1/recommendations/${encodeURIComponent(name)}/users/${encodeURIComponent(user.value)}?${query}`;
    const result = await callJson(url);
    if (!result.ok) {
      list.replaceChildren();
      setStatus(status, failureMessage(result, name, howToGet), true);
      return;
    }

    const answer = result.body;
    setStatus(status, answer.cold_start
      ? `User ${answer.user_id} is unknown to ${answer.model}: the most popular items instead.`
      : `Top ${answer.items.length} for user ${answer.user_id} (${answer.model}):`);
    const max = Math.max(1e-9, ...answer.items.map((item) => item.score));
    renderBars(list, answer.items.map((item) => ({
      label: item.name ? `${item.name} (#${item.item_id})` : `item #${item.item_id}`,
      value: item.score,
    })), { min: Math.min(0, ...answer.items.map((item) => item.score)), max });
  });
}
