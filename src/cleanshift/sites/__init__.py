"""Finding the websites on a server and what they run."""
