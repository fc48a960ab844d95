"""Settings: read and validate stack config (pure Python, no Pulumi resources).

The stack's model is ``stack.StackSettings``; ``loader.load_settings`` reads it from stack config.
"""
