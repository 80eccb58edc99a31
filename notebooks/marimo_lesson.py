import marimo

__generated_with = "0.25.2"
app = marimo.App()


@app.cell
def _():
    import fractions_and_rates_questions as questions
    import marimo as mo

    return mo, questions


@app.cell
def _(mo):
    mo.md("""
    # Fractions and rates

    Answer each question first, then say how sure you are. The worked example
    opens once you have had a go: a wrong answer is a good start, not a failure.
    """)
    return


@app.cell
def _(mo, questions):
    mo.ui.anywidget(questions.add_fractions())
    return


@app.cell
def _(mo, questions):
    mo.ui.anywidget(questions.train_speed())
    return


@app.cell
def _(mo, questions):
    mo.ui.anywidget(questions.pancakes())
    return


if __name__ == "__main__":
    app.run()
