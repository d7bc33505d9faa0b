import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { NotFoundError } from '@risk/util-errors';
import { getUiAsset } from '@risk/registry-ui';
import type { FastifyReply } from 'fastify';

/** Serves the release managers' single-page UI; it talks to the JSON API with the user's token. */
@ApiExcludeController()
@Controller()
export class UiController {
  @Get()
  root(@Res() reply: FastifyReply) {
    return reply.redirect('/ui', 302);
  }

  @Get('ui')
  index(@Res() reply: FastifyReply) {
    return this.send(reply, 'index.html');
  }

  @Get('ui/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply) {
    return this.send(reply, file || 'index.html');
  }

  private send(reply: FastifyReply, name: string) {
    const a = getUiAsset(name);
    if (!a) throw new NotFoundError('NOT_FOUND', `No UI asset ${name}`);
    return reply
      .header('content-type', a.contentType)
      .header('cache-control', 'no-cache')
      .header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
      .send(a.body);
  }
}
