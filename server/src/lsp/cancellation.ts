import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';

export function cancelledError(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

/** Throws the LSP "request cancelled" error when the client cancelled. */
export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw cancelledError();
}

/** Resolves like `promise`, or rejects with "request cancelled" as soon as the token fires. */
export function raceCancellation<T>(promise: Promise<T>, token: CancellationToken | undefined): Promise<T> {
  if (!token) return promise;
  throwIfCancelled(token);
  return new Promise<T>((resolve, reject) => {
    const subscription = token.onCancellationRequested(() => {
      subscription.dispose();
      reject(cancelledError());
    });
    promise.then(
      (value) => {
        subscription.dispose();
        resolve(value);
      },
      (error: unknown) => {
        subscription.dispose();
        reject(error);
      },
    );
  });
}
