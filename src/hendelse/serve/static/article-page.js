// The article page: fetch a stored article with its record and show it.

import { api, showError } from "./common.js";
import { renderArticle } from "./article.js";

const container = document.getElementById("article-view");
const id = container.dataset.articleId;

try {
  const article = await api(`/api/articles/${encodeURIComponent(id)}`);
  document.title = `${article.title || id} · hendelse`;
  renderArticle(container, article, article.record || {});
} catch (error) {
  showError(container, error);
}
