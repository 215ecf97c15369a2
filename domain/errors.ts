/**
 * The one error type of the system: an HTTP status, a bilingual message and optional field errors.
 * Domain code throws it, the API's error middleware (api/errors.ts) answers it.
 */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
  static badRequest(message: string, errors?: Record<string, string>) {
    return new AppError(400, 'bad_request', message, errors);
  }
  static unauthorized(message = '请先登录 / Sign in first') {
    return new AppError(401, 'unauthorized', message);
  }
  static forbidden(message = '无权执行此操作 / You are not allowed to do this') {
    return new AppError(403, 'forbidden', message);
  }
  static notFound(what = '记录 / Record') {
    return new AppError(404, 'not_found', `${what}不存在 / not found`);
  }
  static conflict(message: string, errors?: Record<string, string>) {
    return new AppError(409, 'conflict', message, errors);
  }
}

