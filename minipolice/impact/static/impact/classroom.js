// Classroom mode (impact/classroom/*.html): one statement at a time, read aloud, and a queue
// of finished children's answers kept in localStorage until the server has them, so a lost
// school Wi-Fi signal loses nothing and a repeated upload is counted once (the client key).
// Without this script the page is one form of every question, posted to the server.

const RETRY_EVERY_MS = 10000;
const QUEUE_PREFIX = "mp-classroom-queue:";

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (input) return input.value;
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.split("=")[1]) : "";
}

// The page's words, in its language: the templates put them on data attributes, with {count},
// {number} and {total} for the figures (English when an attribute is missing).
function waitingText(element, waiting) {
  if (waiting === 1) return element.dataset.waitingOne || "1 answer waiting to upload";
  const words = element.dataset.waitingMany || "{count} answers waiting to upload";
  return words.replace("{count}", waiting);
}

function pageLanguage() {
  return document.documentElement.lang || "en-GB";
}

// The upload queue --------------------------------------------------------------------------
class Queue {
  constructor(url, statusElements) {
    this.url = url;
    this.key = QUEUE_PREFIX + url;
    this.statusElements = statusElements;
    this.busy = false;
    window.addEventListener("online", () => this.flush());
    window.setInterval(() => this.flush(), RETRY_EVERY_MS);
    this.render();
    this.flush();
  }

  read() {
    try {
      const items = JSON.parse(window.localStorage.getItem(this.key) || "[]");
      return Array.isArray(items) ? items : [];
    } catch {
      return [];
    }
  }

  write(items) {
    window.localStorage.setItem(this.key, JSON.stringify(items));
    this.render();
  }

  add(item) {
    this.write([...this.read(), item]);
    this.flush();
  }

  remove(clientKey) {
    this.write(this.read().filter((item) => item.client_key !== clientKey));
  }

  render() {
    const waiting = this.read().length;
    for (const element of this.statusElements) {
      element.textContent = waiting ? waitingText(element, waiting) : "";
    }
  }

  // Upload each waiting child's answers in turn. Keep an item on a network error, a 5xx, a
  // redirect (signed out) or 403/429 (try again later); drop it once the server has it
  // (201, or 200 when it was already counted) or refuses it for good (another 4xx).
  async flush() {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const item of this.read()) {
        let response;
        try {
          response = await fetch(this.url, {
            method: "POST",
            credentials: "same-origin",
            redirect: "manual",
            headers: {
              "Content-Type": "application/json",
              Accept: "application/json",
              "X-CSRFToken": csrfToken(),
            },
            body: JSON.stringify(item),
          });
        } catch {
          break; // offline: wait for the `online` event or the next try
        }
        const status = response.status;
        const keep = status === 0 || status >= 500 || status === 403 || status === 429 || status < 200 || (status >= 300 && status < 400);
        if (keep) break;
        this.remove(item.client_key);
      }
    } finally {
      this.busy = false;
      this.render();
    }
  }
}

// Read aloud --------------------------------------------------------------------------------
// A voice of the page's language: British English, or Welsh on a page in Welsh.
function pageVoice() {
  const voices = window.speechSynthesis.getVoices();
  const wanted = /^cy/i.test(pageLanguage()) ? /^cy/i : /^en[-_]GB/i;
  return voices.find((voice) => wanted.test(voice.lang)) || null;
}

function readAloud(fieldset) {
  const synth = window.speechSynthesis;
  const statement = fieldset.querySelector("legend").textContent.trim();
  const words = [...fieldset.querySelectorAll(".mp-answer__word")].map((w) => w.textContent.trim());
  const utterance = new SpeechSynthesisUtterance(`${statement} ${words.join(". ")}.`);
  utterance.lang = pageLanguage();
  const voice = pageVoice();
  if (voice) utterance.voice = voice;
  utterance.rate = 0.9;
  synth.cancel();
  synth.speak(utterance);
}

// One statement at a time -------------------------------------------------------------------
function stepThrough(form, queue) {
  const questions = [...form.querySelectorAll("[data-question]")];
  if (!questions.length) return;
  const progress = form.querySelector("[data-progress]");
  const dots = form.querySelector("[data-dots]");
  const progressText = form.querySelector("[data-progress-text]");
  const back = form.querySelector("[data-back]");
  const next = form.querySelector("[data-next]");
  const finish = form.querySelector("[data-finish]");
  const nextChild = document.querySelector("[data-next-child]");
  const start = nextChild.querySelector("[data-start]");
  const keyInput = form.querySelector("input[name=client_key]");
  let current = 0;
  let advancing = null;
  const nextWords = next.textContent.trim();
  const finishWords = finish.textContent.trim();
  const progressWords = form.dataset.progressWords || "Question {number} of {total}";

  form.querySelector("[data-no-js-hint]").hidden = true;
  progress.hidden = false;
  back.hidden = false;
  next.hidden = false;
  finish.hidden = true;
  for (let i = 0; i < questions.length; i += 1) {
    const dot = document.createElement("span");
    dot.className = "mp-dot";
    dots.append(dot);
  }

  function answered(fieldset) {
    return fieldset.querySelector("input:checked") !== null;
  }

  function show(index, focus = true) {
    current = index;
    questions.forEach((fieldset, i) => {
      fieldset.hidden = i !== index;
      const dot = dots.children[i];
      dot.className = "mp-dot";
      if (i === index) dot.classList.add("mp-dot--current");
      else if (answered(fieldset)) dot.classList.add("mp-dot--done");
    });
    progressText.textContent = progressWords
      .replace("{number}", index + 1)
      .replace("{total}", questions.length);
    back.disabled = index === 0;
    next.textContent = index === questions.length - 1 ? finishWords : nextWords;
    if (focus) questions[index].querySelector("legend").focus();
  }

  function done() {
    const answers = {};
    for (const fieldset of questions) {
      const checked = fieldset.querySelector("input:checked");
      if (checked) answers[fieldset.dataset.question] = Number(checked.value);
    }
    if (Object.keys(answers).length) {
      queue.add({ client_key: keyInput.value, answers });
    }
    form.reset();
    keyInput.value = newKey();
    form.hidden = true;
    nextChild.hidden = false;
    nextChild.querySelector("h2").focus();
  }

  function forward() {
    window.clearTimeout(advancing);
    advancing = null;
    if (current < questions.length - 1) show(current + 1);
    else done();
  }

  // A tap on a face moves on by itself; arrow keys only choose (then Next).
  form.addEventListener("click", (event) => {
    const label = event.target.closest(".mp-answer__label");
    if (!label || advancing !== null) return;
    advancing = window.setTimeout(forward, 350);
  });
  next.addEventListener("click", forward);
  back.addEventListener("click", () => {
    if (current > 0) show(current - 1);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    done();
  });
  start.addEventListener("click", () => {
    nextChild.hidden = true;
    form.hidden = false;
    show(0);
  });
  // The first child's key came from the server; a fresh one is made for each child after.
  keyInput.value = keyInput.value || newKey();
  show(0, false);
}

function enhance() {
  const statusElements = [...document.querySelectorAll("[data-queue-status]")];
  const url = statusElements.length ? statusElements[0].dataset.answersUrl : null;
  const queue = url ? new Queue(url, statusElements) : null;
  if ("speechSynthesis" in window) {
    window.speechSynthesis.getVoices(); // start loading the voices
    for (const button of document.querySelectorAll("[data-read-aloud]")) {
      button.hidden = false;
      button.addEventListener("click", () => readAloud(button.closest("fieldset")));
    }
  }
  const form = document.querySelector("[data-classroom]");
  if (form && queue) stepThrough(form, queue);
}

enhance();
