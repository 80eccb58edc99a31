"""The questions of the lesson "Code and algebra" (code-and-algebra.ipynb).

Kept out of the notebook, like the first lesson's, so that the answers are not in the
cells above each question. One of each kind beyond numbers, choices and words: a
formula, a prediction of what code prints, a function to write, a worked example with
its last step left for the student, a question in two parts, a quiz question that
opens with the teacher's key, and lines of code to put in order. The key, "owl", is here
only because this is a demo: in a real quiz keep it in a sealed bank.
"""

from __future__ import annotations

import guessfirst as gf


def expand() -> gf.Expression:
    return gf.Expression(
        "expand-bracket",
        "Expand $3(x + 4)$.",
        answer="3*x + 12",
        feedback={
            "3*x + 4": "The 3 multiplies everything inside the bracket. What happens to the 4?",
        },
        example="""
The number outside the bracket multiplies **each** term inside it:

$$3(x + 4) = 3 \\times x + 3 \\times 4 = 3x + 12$$
""",
    )


def predict_loop() -> gf.Predict:
    return gf.Predict(
        "predict-loop",
        "What does this code print?",
        code="total = 0\nfor n in range(1, 4):\n    total = total + n\n    print(total)",
        example="""
`range(1, 4)` gives 1, 2 and 3: it stops *before* 4. The running total after each
step is printed on its own line:

| n | total |
|---|-------|
| 1 | 1 |
| 2 | 3 |
| 3 | 6 |
""",
    )


def write_mean() -> gf.Code:
    return gf.Code(
        "write-mean",
        "Write a function `mean(numbers)` that returns the average of a list of numbers.",
        tests=[(([2, 4, 6],), 4), (([5],), 5), (([1, 2],), 1.5)],
        feedback={2: "Is the answer rounded to a whole number somewhere?"},
        example="""
Add the numbers up, then divide by how many there are:

```python
def mean(numbers):
    return sum(numbers) / len(numbers)
```

`/` divides exactly; `//` would round down and give 1 instead of 1.5.
""",
    )


def faded_area() -> gf.Numeric:
    return gf.Numeric(
        "triangle-area",
        "A triangle has a base of 10 cm and a height of 6 cm. What is its area, in cm²?",
        answer=30,
        fade=1,
        example=[
            "The area of a triangle is half of base times height: "
            "$A = \\frac{1}{2} \\times b \\times h$.",
            "Put in the numbers: $A = \\frac{1}{2} \\times 10 \\times 6$.",
            "Work it out: $\\frac{1}{2} \\times 60 = 30$, so the area is **30 cm²**.",
        ],
    )


def quiz_percent() -> gf.Numeric:
    return gf.Numeric(
        "quiz-percent",
        "What is 15% of 80?",
        answer=12,
        mode="quiz",
        attempts=2,
        key="owl",
        feedback={120: "15% is less than a quarter of 80: is 120 bigger or smaller than 80?"},
        example="10% of 80 is 8 and 5% is half of that, 4: so 15% is $8 + 4 = 12$.",
    )


def rectangle() -> gf.Multi:
    return gf.Multi(
        "rectangle",
        "A rectangle is 8 cm long and 5 cm wide.",
        parts=[
            gf.Numeric(
                "area",
                "What is its area, in cm²?",
                answer=40,
                feedback={13: "Adding gives the distance round two sides. What does area measure?"},
            ),
            gf.Numeric(
                "perimeter",
                "What is its perimeter, in cm?",
                answer=26,
                feedback={13: "That is halfway round: the perimeter goes all the way round."},
            ),
        ],
        example="""
**Area** counts the squares inside: 8 rows of 5 squares, $8 \\times 5 = 40$ cm².

**Perimeter** is the distance all the way round: $8 + 5 + 8 + 5 = 26$ cm.
""",
    )


def order_swap() -> gf.Order:
    return gf.Order(
        "order-swap",
        "Put these lines in order so that the function swaps the two values it is given "
        "and returns them. One line does not belong.",
        items=["def swap(a, b):", "    kept = a", "    a = b", "    b = kept", "    return a, b"],
        distractors=["    a = kept"],
        indent=True,
        feedback={
            ("def swap(a, b):", "    a = b", "    kept = a", "    b = kept", "    return a, b"): (
                "Once `a = b` has run, what is left in `a` to keep?"
            ),
        },
        example="""
Keep `a` before anything overwrites it, then move `b` into `a`, then the kept value
into `b`:

```python
def swap(a, b):
    kept = a
    a = b
    b = kept
    return a, b
```

Python can also swap in one line: `a, b = b, a`.
""",
    )


ALL = (expand, predict_loop, write_mean, faded_area, quiz_percent, rectangle, order_swap)
