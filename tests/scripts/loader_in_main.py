"""A dataset defined in ``__main__`` read by worker processes; also leaves a loop early.
Run as a script by tests/test_data.py (prints the batch sums and "done")."""
import ndgrad
from ndgrad.utils.data import DataLoader, Dataset


class Squares(Dataset):
    def __len__(self):
        return 10

    def __getitem__(self, i):
        return ndgrad.tensor([float(i * i)])


if __name__ == "__main__":
    loader = DataLoader(Squares(), batch_size=3, num_workers=2)
    print([float(b.sum()) for b in loader])
    for i, batch in enumerate(loader):
        if i == 0:
            break                     # the workers must shut down, not hang the interpreter
    print("done")
