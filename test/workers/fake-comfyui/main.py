# Stand-in for ComfyUI's main.py in StoryCore's tests. The "python" script beside this file
# runs main.ts instead (the ComfyUI emulator behind ComfyUI's command line).
