"""The form builder: blocks administrators place, the definition as JSON, the runtime that renders and validates it."""
