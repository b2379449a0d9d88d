// lostcontact web UI: a little plain JavaScript, none of it needed for the pages to work.
"use strict";

// Irreversible or backward steps ask once before they are sent.
const CONFIRM = {
  void: "撤销后案件不再计入统计，确定撤销？",
  confirm_death: "确认该党员已死亡？此操作不可撤回。",
  record_expulsion: "记录纪检机关开除党籍的决定？",
  return: "退回党支部重新提出处置意见？",
  reject: "记录党员大会表决未通过，退回支委会？",
};

document.addEventListener("submit", (event) => {
  const form = event.target;
  const message = CONFIRM[form.dataset.trigger];
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  // One click, one request: a second click would only meet a conflict.
  for (const button of form.querySelectorAll("button[type=submit]")) {
    button.disabled = true;
  }
});

document.addEventListener("click", (event) => {
  if (event.target.matches("[data-print]")) {
    window.print();
  }
});

// Drafts: what was typed into a form survives a session that expired while it was being filled in. On
// submit the form's visible fields are kept in this tab's sessionStorage (never an ID number, never a
// password); when the post lands on the login page (session expired), the draft is kept and filled back in
// on the page the login returns to. Any other page load (the post was saved, or refused and drawn again
// with its values by the server) drops the drafts.
const DRAFT = "lc-draft:";
const KEEP_DRAFTS = "lc-draft-keep";
const NEVER_KEPT = /^(csrf_token|version|trigger|id_number|next)$|password/;

function draftKey(form) {
  return DRAFT + new URL(form.action, location.href).pathname + "|" + (form.dataset.trigger || "");
}

function keptFields(form) {
  return [...form.elements].filter((el) => el.name && !NEVER_KEPT.test(el.name)
    && !["hidden", "file", "password", "submit", "button"].includes(el.type));
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || form.method !== "post" || document.body.classList.contains("login-page")) {
    return;
  }
  const values = {};
  for (const el of keptFields(form)) {
    if ((el.type === "radio" || el.type === "checkbox") && !el.checked) continue;
    if (el.value) values[el.name] = el.value;
  }
  try { sessionStorage.setItem(draftKey(form), JSON.stringify(values)); } catch (e) { /* storage off */ }
});

function restoreDrafts() {
  let keys = [];
  try {
    keys = Object.keys(sessionStorage).filter((k) => k.startsWith(DRAFT));
    if (document.body.classList.contains("login-page")) {
      if (keys.length) sessionStorage.setItem(KEEP_DRAFTS, "1");
      return;
    }
    if (sessionStorage.getItem(KEEP_DRAFTS)) {
      for (const form of document.querySelectorAll("form[method=post]")) {
        const saved = sessionStorage.getItem(draftKey(form));
        if (saved) fillIn(form, JSON.parse(saved));
      }
    }
    for (const key of keys) sessionStorage.removeItem(key);
    sessionStorage.removeItem(KEEP_DRAFTS);
  } catch (e) { /* storage off: nothing kept */ }
}

function fillIn(form, values) {
  let filled = false;
  for (const el of keptFields(form)) {
    const value = values[el.name];
    if (value === undefined) continue;
    if (el.type === "radio" || el.type === "checkbox") {
      if (el.value === value && !form.querySelector(`[name="${el.name}"]:checked`)) { el.checked = true; filled = true; }
    } else if (!el.value) {
      el.value = value;
      filled = true;
    }
  }
  if (!filled) return;
  const details = form.closest("details");
  if (details) details.open = true;
  const note = document.createElement("p");
  note.className = "notice notice-conflict";
  note.dataset.testid = "draft-restored";
  note.textContent = "登录过期前填写的内容已填回，请核对后重新提交。";
  form.prepend(note);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", restoreDrafts);
} else {
  restoreDrafts();
}
