import { Module } from '@nestjs/common';
import { PointsModule } from '../points/points.module';
import { SurveysController } from './surveys.controller';
import { SurveysService } from './surveys.service';

@Module({ imports: [PointsModule], controllers: [SurveysController], providers: [SurveysService] })
export class SurveysModule {}
