"""The study of 10-measured.md: how often a random start fits or gets stuck, and why.

``trainer`` trains thousands of networks at once with the lesson's arithmetic, ``experiment``
draws the seeded starts, runs every setting and diagnoses the stuck runs, ``stats`` puts
intervals on the counts, ``findings`` checks what the page says about them, and ``views``
prints its tables and figure. It imports the lesson and the book's machinery.
"""
