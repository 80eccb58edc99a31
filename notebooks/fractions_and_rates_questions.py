"""The questions of the lesson "Fractions and rates" (fractions-and-rates.ipynb).

They live here, not in the notebook, so that a student scrolling the lesson does not
read the answers in the cells above each question. Each function shows one question.
"""

from __future__ import annotations

from fractions import Fraction

import guessfirst as gf


def bigger_fraction() -> gf.Choice:
    return gf.Choice(
        "bigger-fraction",
        "Which fraction is the largest?",
        choices=["1/3", "2/5", "3/8"],
        answer="2/5",
        feedback={
            "3/8": "Eighths are small pieces: three of them is less than you might think. "
            "How big is one eighth compared with one fifth?",
            "1/3": "Thirds are the biggest pieces here, but you only get one of them.",
        },
        example="""
Fractions are easy to compare once they cut the whole into **the same number of pieces**.

The smallest number that 3, 5 and 8 all divide into is 120, so rewrite each fraction
in 120ths:

$$\\frac{1}{3} = \\frac{40}{120}, \\qquad \\frac{2}{5} = \\frac{48}{120}, \\qquad
\\frac{3}{8} = \\frac{45}{120}$$

Now the pieces are all the same size, and 48 of them is the most: $\\frac{2}{5}$ is the largest.

*Another way:* turn each into a decimal. $1 \\div 3 \\approx 0.333$,
$2 \\div 5 = 0.4$, $3 \\div 8 = 0.375$.
""",
    )


def add_fractions() -> gf.Numeric:
    return gf.Numeric(
        "add-fractions",
        "Work out $\\frac{1}{2} + \\frac{1}{3}$. You can answer with a fraction like `7/8`.",
        answer=Fraction(5, 6),
        tol=0.001,
        feedback={
            "2/5": "It looks as if the tops and the bottoms were added separately. "
            "Would half a pizza plus a third of a pizza really be less than half a pizza?",
        },
        example="""
We can only add pieces of the same size, so first find a **common denominator**.
Both 2 and 3 divide into 6:

$$\\frac{1}{2} = \\frac{3}{6} \\qquad \\frac{1}{3} = \\frac{2}{6}$$

Now add the sixths: three sixths and two sixths make five sixths.

$$\\frac{1}{2} + \\frac{1}{3} = \\frac{3}{6} + \\frac{2}{6} = \\frac{5}{6}$$

A quick check: the answer must be more than $\\frac{1}{2}$ and less than $1$. It is.
""",
    )


def fraction_word() -> gf.Text:
    return gf.Text(
        "fraction-word",
        "In the fraction $\\frac{3}{4}$, what is the name for the **bottom** number, the 4?",
        answer=["denominator"],
        feedback={
            "numerator": "That is the name of the top number, the 3.",
        },
        example="""
The **denominator** (bottom) says how many equal pieces the whole is cut into.
The **numerator** (top) says how many of those pieces you have.

In $\\frac{3}{4}$ the whole is cut into 4 pieces and we have 3 of them.

A way to remember it: *d*enominator, *d*own.
""",
    )


def simplest_form() -> gf.Text:
    return gf.Text(
        "simplest-form",
        "Write $\\frac{18}{24}$ in its simplest form, like `2/3`.",
        answer=["3/4"],
        feedback={
            "9/12": "That is equal to $\\frac{18}{24}$, but 9 and 12 can still both be divided "
            "by the same number.",
            "6/8": "Equal, and nearly there: 6 and 8 still share a factor.",
        },
        example="""
A fraction is in its simplest form when the top and bottom share no factor except 1.

The largest number that divides both 18 and 24 is **6**, so divide both by 6:

$$\\frac{18}{24} = \\frac{18 \\div 6}{24 \\div 6} = \\frac{3}{4}$$

Dividing by 2 first ($\\frac{9}{12}$) and then by 3 gets to the same place in two steps.
""",
    )


def equivalent_fractions() -> gf.Choice:
    return gf.Choice(
        "equivalent",
        "Tick **every** fraction that is equal to $\\frac{2}{3}$.",
        choices=["4/6", "3/4", "6/9", "2/6", "10/15"],
        answer=["4/6", "6/9", "10/15"],
        shuffle=True,
        feedback={
            "3/4": "$\\frac{3}{4}$ adds 1 to the top and the bottom of $\\frac{2}{3}$. "
            "Does adding keep a fraction the same, or does multiplying?",
            "2/6": "$\\frac{2}{6}$ keeps the top but triples the bottom: the pieces got smaller.",
        },
        example="""
Multiplying the top and bottom by the **same** number gives an equal fraction:

| fraction | top and bottom times | equal to $\\frac{2}{3}$? |
|---|---|---|
| $\\frac{4}{6}$ | 2 | yes |
| $\\frac{6}{9}$ | 3 | yes |
| $\\frac{10}{15}$ | 5 | yes |
| $\\frac{3}{4}$ | (1 was *added*) | no |
| $\\frac{2}{6}$ | (only the bottom changed) | no |
""",
    )


def train_speed() -> gf.Numeric:
    return gf.Numeric(
        "speed",
        "A train covers 120 km in 1.5 hours. What is its average speed, in km/h?",
        answer=80,
        tol=0.5,
        feedback={180: "Did you multiply instead of divide?"},
        hints=["Speed is kilometres **per** hour: how far does the train go in *one* hour?"],
        example="""
Speed is **distance divided by time**:

$$v = \\frac{d}{t} = \\frac{120 \\text{ km}}{1.5 \\text{ h}} = 80 \\text{ km/h}$$

A check that needs no calculator: in 1 hour the train goes less far than in 1.5 hours,
so the answer must be *less* than 120.

If you are learning Python too, the same sum is:

```python
distance_km = 120
time_h = 1.5
print(distance_km / time_h)  # 80.0
```
""",
    )


def pancakes() -> gf.Numeric:
    return gf.Numeric(
        "pancakes",
        "A recipe uses 3 eggs to make 12 pancakes. How many eggs are needed for 20 pancakes?",
        answer=5,
        feedback={
            11: "Adding 8 eggs because there are 8 more pancakes keeps the *difference* the "
            "same. Does a recipe work by differences or by multiplying?",
        },
        example="""
Find the **unit rate** first: how many eggs for one pancake?

$$3 \\text{ eggs} \\div 12 = \\frac{1}{4} \\text{ egg per pancake}$$

Then scale up to 20 pancakes:

$$20 \\times \\frac{1}{4} = 5 \\text{ eggs}$$

Another route: 12 pancakes to 20 pancakes is $\\times \\frac{5}{3}$, and
$3 \\times \\frac{5}{3} = 5$.
""",
    )


def percent_of() -> gf.Numeric:
    return gf.Numeric(
        "percent-of",
        "What is 15% of 60?",
        answer=9,
        feedback={
            4: "60 ÷ 15 = 4 tells how many fifteens fit in 60. A percentage is a number of "
            "hundredths.",
        },
        example="""
*Per cent* means *out of a hundred*, so 15% is $\\frac{15}{100}$:

$$\\frac{15}{100} \\times 60 = \\frac{900}{100} = 9$$

Or in steps: 10% of 60 is 6, 5% is half of that, 3, and $6 + 3 = 9$.
""",
    )


def better_buy() -> gf.Choice:
    return gf.Choice(
        "better-buy",
        "Which pack of pens is the best value?",
        choices=["4 pens for £2.20", "6 pens for £3.00", "10 pens for £4.50"],
        answer="10 pens for £4.50",
        feedback={
            "4 pens for £2.20": "It is the cheapest pack to buy, but what does *one* pen cost?",
        },
        example="""
Compare the **price of one pen** in each pack (a unit rate):

| pack | price per pen |
|---|---|
| 4 pens for £2.20 | £2.20 ÷ 4 = 55p |
| 6 pens for £3.00 | £3.00 ÷ 6 = 50p |
| 10 pens for £4.50 | £4.50 ÷ 10 = 45p |

The 10-pack costs the most in total but the least per pen, so it is the best value.
""",
    )


def cycling_time() -> gf.Numeric:
    return gf.Numeric(
        "cycling-time",
        "A cyclist rides at 12 km/h. How many **minutes** does it take to ride 3 km?",
        answer=15,
        tol=0.1,
        feedback={
            0.25: "0.25 is right, in *hours*. How many minutes is a quarter of an hour?",
            36: "36 is distance times speed. Which one should be divided by which?",
            4: "12 ÷ 3 = 4 is how many 3 km rides fit in an hour.",
        },
        example="""
Time is **distance divided by speed**:

$$t = \\frac{3 \\text{ km}}{12 \\text{ km/h}} = \\frac{1}{4} \\text{ h}$$

A quarter of an hour is $\\frac{1}{4} \\times 60 = 15$ minutes.

Check: at 12 km/h you ride 12 km in 60 minutes, so 1 km every 5 minutes, and 3 km in 15.
""",
    )


ALL = (
    bigger_fraction,
    add_fractions,
    fraction_word,
    simplest_form,
    equivalent_fractions,
    train_speed,
    pancakes,
    percent_of,
    better_buy,
    cycling_time,
)
