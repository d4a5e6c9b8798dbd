"""Page 09's experiment: how often a random start fits or gets stuck, and why.

``trainer`` trains thousands of networks at once with the lesson's arithmetic, ``experiment``
draws the seeded starts, runs every setting and diagnoses the stuck runs, ``stats`` puts
intervals on the counts, ``findings`` checks what page 09 says about them, and ``views``
prints its tables and figure. It imports the lesson and the book's machinery.
"""
