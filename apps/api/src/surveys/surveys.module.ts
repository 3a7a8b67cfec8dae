import { Module } from '@nestjs/common';
import { SurveyPageController } from './survey-page.controller';
import { SurveysController } from './surveys.controller';
import { SurveysService } from './surveys.service';

@Module({ controllers: [SurveysController, SurveyPageController], providers: [SurveysService] })
export class SurveysModule {}
