"""The teacher's side: what a teacher runs on the logs students' kernels wrote.

Here now: the ``guessfirst`` command line (:mod:`guessfirst.teacher.cli`), one module per
command. The report, collection, grades, xAPI and LRS modules move here next; until then
they live at the package's top (:mod:`guessfirst.teacher.report`, :mod:`guessfirst.teacher.collect`,
:mod:`guessfirst.teacher.lrs`). Nothing here is imported by ``import guessfirst``, so a student's
kernel stays light.
"""
