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
