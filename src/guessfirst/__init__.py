"""guessfirst."""
