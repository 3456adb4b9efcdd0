// One story: a real-world event across articles, with how its factuality changed.

import { api, el, factualityChip, factualityName, factualityPath, names, quadChip, replaceChildren, showError, t } from "./common.js";

const box = document.getElementById("story");
const id = box.dataset.storyId;

function eventLink(articleId, eventId) {
  return `/articles/${encodeURIComponent(articleId)}#event-${encodeURIComponent(eventId)}`;
}

function change(text) {
  // "planned→asserted" in the reader's language.
  return String(text).split(/\s*(?:→|->)\s*/).map(factualityName).join(" → ");
}

function history(story, titles) {
  const steps = story.factuality_history || [];
  let previous = null;
  const items = steps.map((step) => {
    const changed = previous !== null && step.factuality !== previous;
    previous = step.factuality;
    return el(
      "li",
      { class: `step${changed ? " changed" : ""}`, dataset: { factuality: step.factuality || "" } },
      el("span", { class: "date" }, step.date || step.event_date || t("none")),
      factualityChip(step.factuality),
      el("a", { href: eventLink(step.article_id, step.event_id) }, titles.get(step.article_id) || step.article_id),
    );
  });
  const changes = story.changes || [];
  return [
    el("ol", { class: "history", id: "story-history" }, items),
    el("p", { class: "changes", id: "story-changes" }, changes.length ? changes.map(change).join("; ") : t("story_no_change")),
  ];
}

function field(key, value) {
  return [el("dt", {}, t(key)), el("dd", {}, value === null || value === undefined || value === "" ? t("none") : value)];
}

function render(story) {
  const titles = new Map((story.articles || []).map((a) => [a.id, a.title || a.id]));
  const who = names(story.actors).join(", ");
  const whom = names(story.recipients).join(", ");
  const heading = `${t("story_title")}: ${story.type} – ${who}${whom ? ` → ${whom}` : ""}`;
  document.title = `${heading} · hendelse`;
  replaceChildren(
    box,
    el("h1", {}, heading),
    el(
      "dl",
      { class: "fields story-fields" },
      field("field_quad", quadChip(story.quad)),
      field("field_place", [story.place, story.place_country].filter(Boolean).join(", ")),
      field("col_first_seen", story.first_seen),
      field("col_last_seen", story.last_seen),
      field("col_articles", String((story.articles || []).length)),
      field("col_sources", names(story.sources).join(", ")),
      field("col_factuality_path", factualityPath(story.factuality_path)),
    ),
    el("h2", {}, t("story_history")),
    ...history(story, titles),
    el("h2", {}, t("story_events")),
    el(
      "ol",
      { class: "story-events" },
      (story.events || []).map((event) =>
        el(
          "li",
          {},
          el("span", { class: "date" }, event.date || event.published || t("none")),
          " ",
          factualityChip(event.factuality),
          " ",
          el("a", { href: eventLink(event.article_id, event.event_id) }, event.sentence || event.trigger || event.event_id),
          el("br"),
          el("small", { class: "muted" }, titles.get(event.article_id) || event.article_id),
        ),
      ),
    ),
    el("h2", {}, t("story_articles")),
    el(
      "ul",
      { class: "plain" },
      (story.articles || []).map((a) =>
        el("li", {}, el("a", { href: `/articles/${encodeURIComponent(a.id)}` }, a.title || a.id), " ", el("small", { class: "muted" }, [a.source, a.published].filter(Boolean).join(" · "))),
      ),
    ),
  );
}

try {
  render(await api(`/api/stories/${encodeURIComponent(id)}`));
} catch (error) {
  showError(box, error);
}
