"""Scale-out: the ingest as a Spark job writing a date-partitioned Parquet lake.

- :mod:`hendelse.scale.spark`: the session, the job (:func:`ingest_spark`) and
  the Parquet writing;
- :mod:`hendelse.scale.inputs`: input files' bytes into articles, as the reader
  reads them;
- :mod:`hendelse.scale.partition`: what one task does (choose each id's
  version, extract, flatten into the store's rows).

The lake's layout is :mod:`hendelse.store.lake`; ``docs/scale.md`` says how to
run the job on a cluster. PySpark is the optional extra ``hendelse[spark]``,
imported only when the job runs.
"""
