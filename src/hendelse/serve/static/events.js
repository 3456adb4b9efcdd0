// The event list page: the filters come from the query string (the form is a
// plain GET form), the page offset from "offset".

import { filterParams } from "./common.js";
import { renderEventList } from "./eventlist.js";

const container = document.getElementById("event-list");

function show(offset) {
  const url = new URL(window.location.href);
  if (offset) url.searchParams.set("offset", String(offset));
  else url.searchParams.delete("offset");
  window.history.replaceState(null, "", url);
  renderEventList(container, filterParams(), { offset, onPage: show });
}

show(Math.max(0, Number.parseInt(new URLSearchParams(window.location.search).get("offset") || "0", 10) || 0));
