// The lab studio's page: every change is a call to the studio's JSON API, which keeps the run
// (the same engine as `spinet lab run`); this script only draws what the answer says.
'use strict';

const boot = JSON.parse(document.getElementById('boot').textContent);
const captions = boot.captions;
const COMMANDS = ['CLOSE', 'ABORT', 'SEND', 'SYN', 'RST'];
const VERDICTS = {pass: 'PASS', drop: 'DROP', delay: 'DELAY', duplicate: 'DUPLICATE'};
const PLAY_INTERVAL_MS = 900;
const LIGHT_INTERVAL_MS = 350;

const studio = {state: null, busy: false, playing: false, predicted: null, shownTransitions: {A: 0, B: 0}, shownTimeline: 0};
window.studio = studio;

function t(key, ...args) {
  const text = captions[key] === undefined ? key : captions[key];
  return text.replace(/\{(\d)\}/g, (_, i) => (args[Number(i)] === undefined ? '' : String(args[Number(i)])));
}

function $(id) {
  return document.getElementById(id);
}

async function call(path, fields, method) {
  const body = new URLSearchParams(fields || {});
  const options = {method: method || 'POST', headers: {'X-Studio-Token': boot.token}};
  let url = '/api/' + path;
  if (options.method === 'GET') {
    url += '?' + body.toString();
  } else {
    options.body = body;
  }
  const response = await fetch(url, options);
  const answer = await response.json();
  if (!response.ok) {
    const error = new Error(answer.detail || answer.error);
    error.code = answer.error;
    throw error;
  }
  return answer;
}

function sessionId() {
  return studio.state ? studio.state.session : sessionStorage.getItem('spinet-studio-session');
}

async function act(path, fields) {
  if (studio.busy) {
    return;
  }
  studio.busy = true;
  updateButtons();
  try {
    show(await call(path, Object.assign({session: sessionId()}, fields || {})));
  } catch (error) {
    if (error.code === 'session') {
      stopPlaying();
      $('notices').textContent = t('error.session');
    } else {
      $('notices').textContent = t('error.generic', error.message);
    }
  } finally {
    studio.busy = false;
    updateButtons();
  }
}

async function start(lab) {
  stopPlaying();
  studio.state = null;
  studio.predicted = null;
  studio.shownTransitions = {A: 0, B: 0};
  studio.shownTimeline = 0;
  $('predict-result').textContent = '';
  $('save-result').textContent = '';
  const state = await call('new', {lab: lab});
  sessionStorage.setItem('spinet-studio-session', state.session);
  show(state);
}

// ---- drawing an answer ----

function show(state) {
  const before = studio.state;
  studio.state = state;
  $('lab').value = state.lab.name;
  $('lab-title').textContent = state.lab.title;
  $('goal').textContent = state.lab.goal;
  $('diagram').innerHTML = state.diagram;
  $('ladder').innerHTML = state.ladder;
  showStatus(state);
  showBoards(state);
  showWalks(state);
  showTimeline(state);
  showPredictions(before, state);
  showResult(state);
  $('download-pcap').href = '/api/pcapng?session=' + encodeURIComponent(state.session);
  $('download-report').href = '/api/report?session=' + encodeURIComponent(state.session);
  for (const stateBox of document.querySelectorAll('#diagram g.state')) {
    stateBox.addEventListener('click', () => predict(stateBox));
  }
  lightNewSteps(state);
  updateButtons();
}

function showStatus(state) {
  const where = t('status.time', state.time) + ' \u00b7 ' + t('status.steps', state.steps) + ' \u00b7 ';
  let what;
  switch (state.phase) {
    case 'READY': what = t('status.ready'); break;
    case 'PAUSED': what = t('status.paused', state.pending.from, state.pending.to); break;
    case 'FINISHED': what = t('status.finished'); break;
    default: what = t('status.stopped');
  }
  $('status').textContent = where + what;
  $('pending').textContent = state.pending ? state.pending.time + ' s  ' + state.pending.summary : '';
}

function showBoards(state) {
  const boards = $('boards');
  boards.innerHTML = '';
  for (const side of ['A', 'B']) {
    const row = document.createElement('div');
    row.className = 'board ' + side.toLowerCase();
    const name = document.createElement('div');
    name.className = 'name';
    name.id = 'board-' + side;
    name.textContent = t('board.state', side, side === 'A' ? state.lab.boardA : state.lab.boardB, state.states[side]);
    row.appendChild(name);
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    for (const command of COMMANDS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.id = 'command-' + side + '-' + command;
      button.className = 'command';
      button.textContent = t('command.' + command);
      button.addEventListener('click', () => act('command', {side: side, command: command}));
      buttons.appendChild(button);
    }
    row.appendChild(buttons);
    boards.appendChild(row);
  }
  $('notices').textContent = state.notices.map(n => t('notice.' + n.key, n.side, t('command.' + n.command), n.detail)).join(' ');
}

function showWalks(state) {
  for (const side of ['A', 'B']) {
    const list = $('walk-' + side);
    list.innerHTML = '';
    const steps = state.transitions[side];
    if (steps.length === 0) {
      const none = document.createElement('li');
      none.textContent = side + ": " + t("walk.none");
      none.className = "none";
      list.appendChild(none);
    }
    for (const step of steps) {
      const item = document.createElement('li');
      item.id = 'walk-' + side + step.n;
      item.textContent = side + step.n + ' ' + step.from + ' \u2192 ' + step.to + ' (' + step.cause + ')'
          + (step.planned ? '' : ' \u2014 ' + t('walk.unplanned'));
      item.className = step.planned ? 'planned' : 'unplanned';
      item.title = step.time + ' s';
      list.appendChild(item);
    }
  }
}

function showTimeline(state) {
  const table = $('timeline');
  table.innerHTML = '';
  state.timeline.forEach((entry, i) => {
    const row = table.insertRow();
    if (i >= studio.shownTimeline) {
      row.className = 'new';
    }
    const time = row.insertCell();
    time.className = 't';
    time.textContent = entry.time;
    row.insertCell().textContent = entry.kind === 'TRANSITION' ? entry.side + entry.n : (entry.side || '');
    row.insertCell().textContent = entry.text;
  });
  studio.shownTimeline = state.timeline.length;
  // Scroll the pane only (scrollIntoView would move the whole page away from the buttons).
  const pane = table.parentElement;
  pane.scrollTop = pane.scrollHeight;
}

function showResult(state) {
  const result = $('result');
  result.innerHTML = '';
  $('result-box').hidden = state.phase !== 'FINISHED';
  if (state.phase !== 'FINISHED') {
    return;
  }
  const line = document.createElement('p');
  line.className = state.passed ? 'pass' : 'fail';
  line.textContent = state.failure ? t('result.failure', state.failure) : state.passed ? t('result.passed') : t('result.mismatch');
  result.appendChild(line);
  for (const mismatch of state.passed ? [] : state.mismatches) {
    const item = document.createElement('div');
    item.className = 'small';
    item.textContent = mismatch;
    result.appendChild(item);
  }
}

// ---- lighting the walk edge by edge ----

function lightNewSteps(state) {
  const fresh = [];
  for (const side of ['A', 'B']) {
    for (const step of state.transitions[side]) {
      if (step.n > studio.shownTransitions[side]) {
        fresh.push({side: side, n: step.n, time: step.time});
      }
    }
  }
  fresh.sort((x, y) => Number(x.time) - Number(y.time));
  const latest = {A: studio.shownTransitions.A, B: studio.shownTransitions.B};
  studio.shownTransitions = {A: state.transitions.A.length, B: state.transitions.B.length};
  markStates(latest);
  fresh.forEach((step, i) => {
    setTimeout(() => {
      if (studio.state !== state) {
        return;
      }
      latest[step.side] = step.n;
      markStates(latest);
    }, i * LIGHT_INTERVAL_MS);
  });
  if (fresh.length === 0) {
    markStates(latest);
  }
}

/** Lights the latest step of each side (edge in the diagram, line in the ladder, list item) and the state each is in. */
function markStates(latest) {
  document.querySelectorAll('.lit').forEach(e => e.classList.remove('lit'));
  document.querySelectorAll('.here-a, .here-b, li.latest').forEach(e => e.classList.remove('here-a', 'here-b', 'latest'));
  for (const side of ['A', 'B']) {
    const n = latest[side];
    const s = side.toLowerCase();
    if (n > 0) {
      document.querySelectorAll('.s-' + s + n).forEach(e => e.classList.add('lit'));
      const item = $('walk-' + side + n);
      if (item) {
        item.classList.add('latest');
      }
      const box = document.querySelector('#diagram g.state.at-' + s + n);
      if (box) {
        box.classList.add('here-' + s);
      }
    } else {
      const closed = document.querySelector('#diagram #state-closed-top');
      if (closed) {
        closed.classList.add('here-' + s);
      }
    }
  }
  const ladderLine = document.querySelector('#ladder .transition.lit');
  if (ladderLine) {
    const ladder = $('ladder');
    const offset = ladderLine.getBoundingClientRect().top - ladder.getBoundingClientRect().top;
    ladder.scrollTop += offset - ladder.clientHeight / 2;
  }
}

// ---- predictions ----

function stateOfBox(box) {
  const id = box.id.replace(/^state-/, '');
  return id.startsWith('closed') ? 'CLOSED' : id.toUpperCase().replace(/-/g, '_');
}

function predicting() {
  const state = studio.state;
  return $('predict-toggle').checked && state && state.phase === 'PAUSED' && studio.predicted === null;
}

async function predict(box) {
  if (!predicting() || studio.busy) {
    return;
  }
  const choice = stateOfBox(box);
  const receiver = studio.state.pending.to;
  studio.busy = true;
  try {
    await call('predict', {session: sessionId(), state: choice});
    studio.predicted = {side: receiver, state: choice};
    box.classList.add('chosen');
    $('predict-result').className = 'verdict';
    $('predict-result').textContent = t('predict.chosen', receiver, choice);
  } catch (error) {
    $('notices').textContent = t('error.generic', error.message);
  } finally {
    studio.busy = false;
    updateButtons();
  }
}

function showPredictions(before, state) {
  const made = state.predictions;
  const right = made.filter(p => p.actual !== null && p.right).length;
  const wrong = made.filter(p => p.actual !== null && !p.right).length;
  $('score').textContent = made.length === 0 ? t('predict.none') : t('predict.score', right, wrong);
  $('score').dataset.right = right;
  $('score').dataset.wrong = wrong;
  const decidedBefore = before && before.session === state.session ? before.predictions.filter(p => p.actual !== null).length : 0;
  const newlyDecided = made.filter(p => p.actual !== null).slice(decidedBefore);
  if (newlyDecided.length > 0) {
    const p = newlyDecided[newlyDecided.length - 1];
    $('predict-result').className = 'verdict ' + (p.right ? 'right' : 'wrong');
    $('predict-result').textContent = p.right ? t('predict.right', p.side, p.actual) : t('predict.wrong', p.side, p.predicted, p.actual);
  }
  if (!before || before.steps !== state.steps || before.session !== state.session) {
    studio.predicted = null;
  }
}

// ---- buttons ----

function updateButtons() {
  const state = studio.state;
  const running = state && (state.phase === 'READY' || state.phase === 'PAUSED' || state.phase === 'FINISHED');
  const waitingForGuess = predicting() && !studio.playing;
  document.body.classList.toggle('predicting', Boolean(waitingForGuess));
  $('predict-prompt').textContent = waitingForGuess ? t('predict.prompt', state.pending.to) : '';
  $('predict-skip').hidden = !waitingForGuess;
  const paused = state && state.phase === 'PAUSED';
  $('step-pass').disabled = studio.busy || !running || waitingForGuess;
  for (const id of ['step-drop', 'step-delay', 'step-duplicate']) {
    $(id).disabled = studio.busy || !paused || waitingForGuess;
  }
  $('play').textContent = studio.playing ? t('play.pause') : t('play.play');
  $('play').disabled = !running || (state.phase === 'FINISHED' && !studio.playing);
  document.querySelectorAll('button.command').forEach(b => { b.disabled = studio.busy || !running; });
  $('save').disabled = studio.busy || !state;
}

function step(verdict) {
  return act('step', {verdict: verdict});
}

function stopPlaying() {
  studio.playing = false;
  if (studio.timer) {
    clearTimeout(studio.timer);
    studio.timer = null;
  }
}

function playOn() {
  if (!studio.playing) {
    return;
  }
  const state = studio.state;
  if (!state || state.phase === 'FINISHED' || state.phase === 'STOPPED') {
    stopPlaying();
    updateButtons();
    return;
  }
  step('PASS').then(() => {
    if (studio.playing) {
      studio.timer = setTimeout(playOn, PLAY_INTERVAL_MS);
    }
  });
}

async function save() {
  try {
    const written = await call('save', {session: sessionId(), dir: $('save-dir').value});
    $('save-result').textContent = t('save.done', written.pcapng, written.report);
  } catch (error) {
    $('save-result').textContent = t('save.failed', error.message);
  }
}

function wire() {
  document.title = t('page.title');
  $('page-title').textContent = t('page.title');
  document.querySelectorAll('[data-caption]').forEach(e => { e.textContent = t(e.dataset.caption); });
  for (const lab of boot.labs) {
    const option = document.createElement('option');
    option.value = lab.name;
    option.textContent = lab.name + ' \u2014 ' + lab.title;
    $('lab').appendChild(option);
  }
  $('lab').value = boot.lab;
  $('save-dir').value = boot.saveDir;
  $('new').addEventListener('click', () => start($('lab').value));
  $('lab').addEventListener('change', () => start($('lab').value));
  for (const [name, verdict] of Object.entries(VERDICTS)) {
    $('step-' + name).addEventListener('click', () => step(verdict));
  }
  $('play').addEventListener('click', () => {
    if (studio.playing) {
      stopPlaying();
    } else {
      studio.playing = true;
      playOn();
    }
    updateButtons();
  });
  $('predict-toggle').addEventListener('change', updateButtons);
  $('predict-skip').addEventListener('click', () => {
    studio.predicted = {skipped: true};
    updateButtons();
  });
  $('save').addEventListener('click', save);
  document.addEventListener('keydown', event => {
    if (event.target.tagName === 'INPUT' || event.target.tagName === 'SELECT') {
      return;
    }
    if (event.key === ' ' && !$('step-pass').disabled) {
      event.preventDefault();
      step('PASS');
    } else if (event.key === 'd' && !$('step-drop').disabled) {
      step('DROP');
    } else if (event.key === 'p' && !$('play').disabled) {
      $('play').click();
    }
  });
}

async function resume() {
  const id = sessionStorage.getItem('spinet-studio-session');
  if (id) {
    try {
      const state = await call('state', {session: id}, 'GET');
      studio.shownTransitions = {A: state.transitions.A.length, B: state.transitions.B.length};
      studio.shownTimeline = state.timeline.length;
      show(state);
      return;
    } catch (error) {
      sessionStorage.removeItem('spinet-studio-session');
    }
  }
  await start(boot.lab);
}

wire();
resume();
