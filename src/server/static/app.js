// The page's script: plain browser JavaScript, no build step, nothing loaded from elsewhere.
'use strict';

const $ = (id) => document.getElementById(id);
const lite = document.documentElement.classList.contains('lite');

function splitLabels(value) {
  // The same rule as the CLI's --labels: split on ASCII and full-width commas, trim, drop empties.
  return value.split(/[,，]/).map((label) => label.trim()).filter((label) => label.length > 0);
}

function showError(message) {
  const error = $('error');
  error.textContent = message;
  error.hidden = message === '';
}

function describeProvider(provider, fallback) {
  return fallback ? `${provider} (FALLBACK: ${fallback.from} unavailable)` : provider;
}

async function loadInfo() {
  try {
    const response = await fetch('/api/info');
    const info = await response.json();
    $('model').textContent = `model ${info.model.id} · ${info.precision} · provider ${describeProvider(info.provider, info.fallback)} · batching ${info.batching.enabled ? 'on' : 'off'}`;
    // The server's own sentence: random weights and known-answer models need different warnings.
    if (info.syntheticNote) $('synthetic').textContent = `${info.syntheticNote.charAt(0).toUpperCase()}${info.syntheticNote.slice(1)}.`;
    $('synthetic').hidden = !info.synthetic;
    if (info.fallback) {
      $('fallback').textContent = `${info.fallback.from} could not load (${info.fallback.reason}); the model runs on ${info.provider}.`;
      $('fallback').hidden = false;
    }
    if ($('template').value === '') $('template').value = info.defaultTemplate;
  } catch (error) {
    $('model').textContent = `cannot reach the server: ${error.message}`;
  }
}

/** Scores this close count as equal: far below the four decimals shown. */
const TIE_TOLERANCE = 1e-6;

function renderBars(labels, scores) {
  const rows = labels.map((label, index) => ({ label, score: scores[index] })).sort((a, b) => b.score - a.score);
  const best = rows[0] ? rows[0].score : 0;
  const tied = rows.filter((row) => best - row.score <= TIE_TOLERANCE);
  // A winner only when one label is strictly best; a tie colours nobody and says so.
  $('tie').textContent = tied.length > 1 ? `tie: ${tied.map((row) => row.label).join(', ')} score the same (${best.toFixed(4)}); no label wins` : '';
  $('tie').hidden = tied.length < 2;
  const list = $('bars');
  list.replaceChildren();
  const fills = [];
  for (const [index, { label, score }] of rows.entries()) {
    const item = document.createElement('li');
    item.className = tied.length === 1 && index === 0 ? 'bar-row winner' : 'bar-row';
    item.dataset.label = label;
    item.dataset.score = String(score);
    const name = document.createElement('span');
    name.className = 'bar-label';
    name.textContent = label;
    name.title = label;
    const track = document.createElement('span');
    track.className = 'bar-track';
    const fill = document.createElement('span');
    fill.className = 'bar-fill';
    track.append(fill);
    const value = document.createElement('span');
    value.className = 'bar-score';
    value.textContent = score.toFixed(4);
    item.append(name, track, value);
    list.append(item);
    fills.push([fill, `${(Math.max(0, Math.min(1, score)) * 100).toFixed(1)}%`]);
  }
  const apply = () => fills.forEach(([fill, width]) => (fill.style.width = width));
  // Full mode lets the bars grow (CSS transition from 0); lite mode draws them at once.
  if (lite) apply();
  else requestAnimationFrame(() => requestAnimationFrame(apply));
}

async function classify(event) {
  event.preventDefault();
  showError('');
  const text = $('text').value;
  const labels = splitLabels($('labels').value);
  if (text.trim() === '') return showError('Enter a text to classify.');
  if (labels.length === 0) return showError('Enter at least one label, e.g. 体育,财经,科技');
  const body = { text, labels, multiLabel: $('multi-label').checked };
  if ($('template').value.trim() !== '') body.template = $('template').value;
  const button = $('classify');
  button.disabled = true;
  const started = performance.now();
  try {
    const response = await fetch('/api/classify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const result = await response.json();
    if (!response.ok) {
      const retry = response.headers.get('Retry-After');
      return showError(`${response.status}: ${result.error}${retry ? ` (retry after ${retry} s)` : ''}`);
    }
    renderBars(result.labels, result.scores);
    const roundTrip = performance.now() - started;
    const batch = result.batch.requests > 1 ? ` · batched with ${result.batch.requests - 1} other request(s)` : '';
    $('timing').textContent = `${result.multiLabel ? 'multi-label' : 'single-label'} · server ${result.latencyMs.toFixed(1)} ms (model ${result.inferenceMs.toFixed(1)} ms), round trip ${roundTrip.toFixed(0)} ms · provider ${describeProvider(result.provider, result.fallback)} · ${result.precision}${batch}${result.synthetic ? ' · synthetic weights' : ''}${result.truncated ? ` · text truncated to ${result.truncated.premiseTokensKept} tokens` : ''}`;
    $('synthetic').hidden = !result.synthetic;
    $('results').hidden = false;
  } catch (error) {
    showError(`request failed: ${error.message}`);
  } finally {
    button.disabled = false;
  }
}

$('form').addEventListener('submit', classify);
void loadInfo();
