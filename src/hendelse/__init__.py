"""hendelse: Norwegian news to event data.

The package follows the data flow: ``hendelse.reader`` (articles and their
layout) -> ``hendelse.nlp`` (the project's Norwegian spaCy pipeline) ->
extract -> resolve -> store -> serve.
"""

__version__ = "0.1.0"
