"""The lesson: the code the pages show and a reader can run.

``lesson`` defines the data, the starting weights and the learning rate; ``network`` is the
network itself (forward pass, loss, backpropagation, gradient descent); ``linear``,
``gradcheck`` and ``floor`` are the small pieces of maths the lesson leans on (the best line,
gradients by finite differences, the best monotone fit); ``portable`` computes the few
functions whose library versions differ between CPUs. Nothing here imports anything else of
the project. The machinery that turns this into pages lives in ``snippets.book``, the study's
experiment in ``snippets.study``.
"""
