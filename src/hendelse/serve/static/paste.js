// "Paste an article": POST the text to /api/extract and show the record in the article view.

import { api, replaceChildren, showError, t } from "./common.js";
import { renderArticle } from "./article.js";

const form = document.getElementById("paste-form");
const status = document.getElementById("paste-status");
const view = document.getElementById("article-view");
const submit = document.getElementById("paste-submit");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = form.elements.text.value;
  if (!text.trim()) {
    status.textContent = t("paste_empty");
    return;
  }
  const body = { text };
  const title = form.elements.title.value.trim();
  const published = form.elements.published.value.trim();
  if (title) body.title = title;
  if (published) body.published = published;
  status.textContent = t("paste_working");
  submit.disabled = true;
  replaceChildren(view);
  try {
    const { record } = await api("/api/extract", { body });
    status.textContent = "";
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    const article = record.article || {};
    renderArticle(view, { ...article, title: title || article.title, text }, record);
    view.querySelector("h1").focus({ preventScroll: false });
  } catch (error) {
    status.textContent = "";
    showError(view, error);
  } finally {
    submit.disabled = false;
  }
});
