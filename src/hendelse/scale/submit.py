"""The driver program to give ``spark-submit``: ``hendelse`` with the arguments after it.

::

    SUBMIT=$(python -c 'import hendelse.scale.submit as s; print(s.__file__)')
    spark-submit --master yarn … "$SUBMIT" \
        ingest hdfs:///arkiv/ --engine spark --lake hdfs:///hendelse/lake

Under ``spark-submit`` the session takes the master and settings that
``spark-submit`` was given (``--spark-master`` overrides the master).
"""

from hendelse.cli import app

if __name__ == "__main__":
    app(prog_name="hendelse")
